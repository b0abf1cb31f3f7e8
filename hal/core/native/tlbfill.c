/* tlbfill.c: the TLB fill callback for hal/core/datatlb.py, in C.
 *
 * Unicorn calls it (UC_HOOK_TLB_FILL, in UC_TLB_VIRTUAL mode) whenever a
 * guest access misses the TLB.  halemu runs guests without paging, so each
 * page maps to itself: readable and writable, and executable only when the
 * access that missed is a fetch, so that a data page's entry says "not
 * executable" and Unicorn lets later stores to it take the fast path
 * (datatlb.py says why).  Unicorn still checks each memory region's own
 * permissions on its slow path.
 *
 * In Python this cost a few microseconds a miss, and the scheduler misses
 * about once a slice, so the callback is here.  Nothing is linked against
 * Unicorn: the entry's layout (uc_tlb_entry) and the constants below are
 * Unicorn 2.1's.
 */
#include <stdbool.h>
#include <stdint.h>

typedef struct {
    uint64_t paddr;
    uint32_t perms;         /* UC_PROT_READ 1, UC_PROT_WRITE 2, UC_PROT_EXEC 4 */
} hal_tlb_entry;

enum { HAL_MEM_FETCH = 18 };  /* uc_mem_type's UC_MEM_FETCH */

bool hal_tlb_fill(void *uc, uint64_t address, int access, hal_tlb_entry *entry, void *user_data)
{
    (void)uc;
    (void)user_data;
    entry->paddr = address;
    entry->perms = access == HAL_MEM_FETCH ? 7u : 3u;
    return true;
}
