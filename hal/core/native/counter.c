/* counter.c: exact retired-instruction counting in C, called by Unicorn at the
 * start of every basic block (UC_HOOK_BLOCK), so that counting costs an array
 * index per block instead of a trip into Python.
 *
 * Same rules as the Python fallback in hal/counting.py, so both give the same
 * numbers:
 *   - a block is counted when it starts; stopping the engine from this hook
 *     keeps the block from running, so a block that would start at or past
 *     the end of the slice (slice_end) or that would retire past the
 *     instruction limit is stopped, not counted, and runs on resume;
 *   - each block's instruction count is size / width on fixed-width ISAs;
 *     where widths vary, the block is decoded once with capstone, called
 *     here through its C API (pointers handed in by Python), or else asked
 *     of Python;
 *   - every block keeps an execution count, for the dynamic instruction mix;
 *     or, where nobody will ask for the mix (a plain run) and the width is
 *     fixed, no block is kept at all: a block's count is its size over the
 *     width, and the hook only adds it up (hal_count_total_4).
 *
 * Why it is shaped this way: Unicorn's own cost of calling any block hook is
 * about 4% of raw speed, and a hash look-up per block cost another 2 to 5%.
 * So blocks in the guest's code (all of it, in practice: only code pages are
 * executable) live in a direct map indexed by their offset, and one compare
 * against `guard` (the nearer of slice end and limit) clears a block to run.
 * Anything else (another code range, a second block size at one address)
 * goes to an open-addressing table.  Even that look-up showed: PowerPC nbody
 * runs 1.8% faster (400 rounds) when the hook only adds size / 4, 11 host
 * instructions against 19, so a run that keeps no blocks does only that.
 *
 * Nothing here is linked against Unicorn or capstone: Python hands in the
 * addresses of the few functions it needs, so the library builds with
 * nothing but a C compiler.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef int (*emu_stop_fn)(void *uc);
typedef uint32_t (*resolve_fn)(uint64_t address, uint32_t size);
typedef int (*mem_read_fn)(void *uc, uint64_t address, void *bytes, uint64_t size);
typedef bool (*disasm_iter_fn)(size_t handle, const uint8_t **code, size_t *size,
                               uint64_t *address, void *insn);
typedef void *(*cs_malloc_fn)(size_t handle);
typedef void (*cs_free_fn)(void *insn, size_t count);

/* A block's key is its size plus one, so that 0 marks an empty slot even for
 * a block of size 0 (one that faults at once), and the fast path's compare
 * is one add away from the size Unicorn passes. */
#define KEY(size) ((uint32_t)(size) + 1u)
#define SIZE(key) ((uint32_t)(key) - 1u)

/* last_size when the totals hook has counted no block since it was last reset */
#define NO_BLOCK UINT32_MAX

/* What the fast path touches: 16 bytes, so that it indexes the direct map
 * with a shift, and a direct-map entry's address is implied by its index. */
typedef struct {
    uint64_t execs;
    uint32_t key;           /* KEY(size); 0: an empty slot */
    uint32_t n;             /* instructions in the block */
} hal_slot;
_Static_assert(sizeof(hal_slot) == 16, "COUNT_BLOCK turns an offset into a slot with a shift");

/* A hash-table entry: a slot (first, so a slot pointer into the table is one
 * to its entry) and the block's address. */
typedef struct {
    hal_slot s;
    uint64_t address;
} hal_block;

typedef struct {
    /* read and written from Python (hal/counting.py mirrors this prefix);
     * the fast path reads only the first cache line */
    uint64_t retired;       /* exact count so far */
    uint64_t guard;         /* min(slice_end, limit): a block ending at or below it just runs */
    hal_slot *last;         /* the last block counted, for fault corrections; NULL: none */
    uint64_t base;          /* the direct map covers [base, base + span) */
    uint64_t span;
    hal_slot *direct;
    uint64_t slice_end;     /* no block starts once retired reaches this */
    uint64_t limit;         /* never retire more than this */
    int32_t stop;           /* why we stopped the engine: 0 no, 1 slice, 2 limit */
    uint32_t width;         /* fixed instruction width; 0: decode */
    uint64_t last_address;  /* totals only: the last block counted, when last_size is */
    uint32_t last_size;     /* not NO_BLOCK (the block hooks keep `last` instead) */
    /* private */
    void *uc;               /* the engine, for the slow path (so the fast path need not keep it) */
    emu_stop_fn emu_stop;
    resolve_fn resolve;
    uint64_t align_mask;    /* offsets that are not multiples of the alignment go to the table */
    uint32_t shift;         /* log2 of that alignment */
    hal_block *table;       /* open addressing on (address, size) */
    uint32_t mask;
    uint32_t used;
    hal_block spare;        /* stands in for a block when memory runs out */
    /* capstone, to count variable-width blocks without a trip into Python */
    mem_read_fn mem_read;   /* uc_mem_read */
    disasm_iter_fn disasm_iter;
    cs_free_fn cs_free;
    size_t cs_handle;
    void *cs_insn;          /* cs_malloc'd scratch for cs_disasm_iter */
    uint32_t decoded;       /* new variable-width blocks decoded here */
    uint32_t asked;         /* ... and asked of Python */
} hal_counter;

static uint32_t slot_of(uint64_t address, uint32_t key, uint32_t mask)
{
    uint64_t h = (address ^ ((uint64_t)key << 48)) * 0x9E3779B97F4A7C15ull;
    return (uint32_t)(h >> 32) & mask;
}

static int grow(hal_counter *c)
{
    uint32_t old_cap = c->mask + 1, cap = old_cap * 2;
    hal_block *t = calloc(cap, sizeof *t);
    if (!t)
        return -1;
    for (uint32_t i = 0; i < old_cap; i++) {
        hal_block *b = &c->table[i];
        if (!b->s.key)
            continue;
        uint32_t s = slot_of(b->address, b->s.key, cap - 1);
        while (t[s].s.key)
            s = (s + 1) & (cap - 1);
        t[s] = *b;
    }
    free(c->table);
    c->table = t;
    c->mask = cap - 1;
    return 0;
}

hal_counter *hal_counter_new(uint32_t width, void *emu_stop, void *resolve, void *uc)
{
    hal_counter *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->table = calloc(64, sizeof *c->table);
    if (!c->table) {
        free(c);
        return NULL;
    }
    c->mask = 63;
    c->width = width;
    c->slice_end = c->limit = c->guard = UINT64_MAX;
    c->last_size = NO_BLOCK;
    c->emu_stop = (emu_stop_fn)emu_stop;
    c->resolve = (resolve_fn)resolve;
    c->uc = uc;
    return c;
}

/* Give the counter a direct map over [base, base + span), blocks starting on
 * multiples of 1 << shift; hook it with hal_count_block_<1 << shift>.
 * Returns 0, or -1 if out of memory (the table then serves every block). */
int hal_counter_map(hal_counter *c, uint64_t base, uint64_t span, uint32_t shift)
{
    hal_slot *d = calloc((size_t)(span >> shift) + 1, sizeof *d);
    if (!d)
        return -1;
    free(c->direct);
    c->direct = d;
    c->base = base;
    c->span = span;
    c->shift = shift;
    c->align_mask = (1ull << shift) - 1;
    return 0;
}

/* Count variable-width blocks with capstone's C API: the handle of a
 * capstone instance without detail or skipdata, and the functions to use.
 * Returns 0, or -1 (blocks are then counted by resolve()). */
int hal_counter_decoder(hal_counter *c, void *mem_read, void *disasm_iter, void *cs_malloc,
                        void *cs_free, uint64_t cs_handle)
{
    void *insn = ((cs_malloc_fn)cs_malloc)((size_t)cs_handle);
    if (!insn)
        return -1;
    c->mem_read = (mem_read_fn)mem_read;
    c->disasm_iter = (disasm_iter_fn)disasm_iter;
    c->cs_free = (cs_free_fn)cs_free;
    c->cs_handle = (size_t)cs_handle;
    c->cs_insn = insn;
    return 0;
}

void hal_counter_free(hal_counter *c)
{
    if (c) {
        if (c->cs_insn)
            c->cs_free(c->cs_insn, 1);
        free(c->direct);
        free(c->table);
        free(c);
    }
}

/* Instructions in a variable-width block: as many as capstone decodes in a
 * row, plus one for the rest if it stops short (the emulator did run those
 * bytes; hal/counting.py's BlockSizer has the same rule), or else Python's answer. */
static uint32_t decode(hal_counter *c, void *uc, uint64_t address, uint32_t size)
{
    if (!c->cs_insn) {                       /* no capstone handed in */
        c->asked++;
        return c->resolve(address, size);
    }
    uint8_t small[4096];
    uint8_t *bytes = size <= sizeof small ? small : malloc(size);
    uint32_t n = 0;
    if (!bytes || c->mem_read(uc, address, bytes, size) != 0) {
        c->asked++;
        n = c->resolve(address, size);
    } else {
        c->decoded++;
        const uint8_t *code = bytes;
        size_t left = size;
        uint64_t at = address;
        while (left && c->disasm_iter(c->cs_handle, &code, &left, &at, c->cs_insn))
            n++;
        if (left)
            n++;
    }
    if (bytes != small)
        free(bytes);
    return n;
}

/* A block's instruction count as counted: no block is empty, so the count
 * always moves (a block of size 0 is one that faults at once). */
static uint32_t at_least_one(uint32_t n)
{
    return n ? n : 1;
}

static void fill(hal_counter *c, void *uc, hal_slot *b, uint64_t address, uint32_t size)
{
    b->key = KEY(size);
    b->execs = 0;
    b->n = at_least_one(c->width ? size / c->width : decode(c, uc, address, size));
}

static void fill_entry(hal_counter *c, void *uc, hal_block *b, uint64_t address, uint32_t size)
{
    fill(c, uc, &b->s, address, size);
    b->address = address;
}

static hal_slot *find(hal_counter *c, void *uc, uint64_t address, uint32_t size)
{
    uint32_t s = slot_of(address, KEY(size), c->mask);
    for (;;) {
        hal_block *b = &c->table[s];
        if (b->s.key == KEY(size) && b->address == address)
            return &b->s;
        if (!b->s.key)
            break;
        s = (s + 1) & c->mask;
    }
    if (2 * (c->used + 1) > c->mask + 1) {       /* keep the table at most half full */
        if (grow(c) != 0) {
            fill_entry(c, uc, &c->spare, address, size);
            return &c->spare.s;
        }
        return find(c, uc, address, size);
    }
    hal_block *b = &c->table[s];
    fill_entry(c, uc, b, address, size);
    c->used++;
    return &b->s;
}

/* Where a block counted in `b` starts: implied by its index in the direct
 * map, else kept in its table entry (or the spare). */
static uint64_t address_of(const hal_counter *c, const hal_slot *b)
{
    if (c->direct && b >= c->direct && b <= c->direct + (c->span >> c->shift))
        return c->base + ((uint64_t)(b - c->direct) << c->shift);
    return ((const hal_block *)b)->address;
}

/* Whether a block of n instructions must not start: the slice has used its
 * budget, or the block would retire past the limit.  If so the engine is
 * stopped before it, and `stop` says why. */
static bool stopped_before(hal_counter *c, void *uc, uint32_t n)
{
    if (c->retired >= c->slice_end)
        c->stop = 1;
    else if (c->retired + n > c->limit)
        c->stop = 2;
    else
        return false;
    c->emu_stop(uc);
    return true;
}

/* Everything but the common case: a block not yet in the direct map, outside
 * it, or near the end of the slice or the limit. */
static __attribute__((noinline)) void count_slow(hal_counter *c, uint64_t address, uint32_t size)
{
    void *uc = c->uc;
    uint64_t offset = address - c->base;
    hal_slot *b;
    if (offset < c->span && !(offset & c->align_mask)) {
        b = &c->direct[offset >> c->shift];
        if (b->key == 0)
            fill(c, uc, b, address, size);
        else if (b->key != KEY(size))
            b = find(c, uc, address, size);
    } else {
        b = find(c, uc, address, size);
    }
    if (stopped_before(c, uc, b->n))
        return;
    b->execs++;
    c->retired += b->n;
    c->last = b;
}

/* The UC_HOOK_BLOCK callbacks: user_data is the hal_counter.  The common case
 * (a known block in the direct map, well inside the slice) is a leaf function
 * of 17 to 19 host instructions; anything else is count_slow's, reached by a
 * tail jump.  There is one per instruction alignment, the shift a constant,
 * because at some 20 ns a block on x86 even a variable shift shows in the
 * benchmark.  An aligned offset becomes the slot's byte offset in one shift
 * (slots are 16 bytes), and count_slow finds the engine in the counter, so
 * the fast path keeps no register for it. */
#define COUNT_BLOCK(NAME, SHIFT)                                                        \
    void NAME(void *uc, uint64_t address, uint32_t size, void *user_data)               \
    {                                                                                   \
        (void)uc;                                                                       \
        hal_counter *c = user_data;                                                     \
        uint64_t offset = address - c->base;                                            \
        if (__builtin_expect(offset < c->span && !(offset & ((1u << SHIFT) - 1)), 1)) { \
            hal_slot *b = (hal_slot *)((char *)c->direct + (offset << (4 - SHIFT)));    \
            uint64_t after = c->retired + b->n;                                         \
            if (__builtin_expect(b->key == KEY(size) && after <= c->guard, 1)) {        \
                b->execs++;                                                             \
                c->retired = after;                                                     \
                c->last = b;                                                            \
                return;                                                                 \
            }                                                                           \
        }                                                                               \
        count_slow(c, address, size);                                                   \
    }

COUNT_BLOCK(hal_count_block_1, 0)
COUNT_BLOCK(hal_count_block_2, 1)
COUNT_BLOCK(hal_count_block_4, 2)

/* The totals hook's slow path: a block of size 0, or one near the end of the
 * slice or the limit.  Same rules as count_slow, for a block of size / width
 * instructions; the arguments are the hook's, so the fast path reaches it
 * with a plain jump. */
static __attribute__((noinline)) void total_slow(void *uc, uint64_t address, uint32_t size,
                                                 hal_counter *c)
{
    uint32_t n = at_least_one(size / c->width);
    if (stopped_before(c, uc, n))
        return;
    c->retired += n;
    c->last_address = address;
    c->last_size = size;
}

/* The UC_HOOK_BLOCK callback of a counter that keeps no blocks, for 4-byte
 * instructions: a block's count is its size over 4, so there is nothing to
 * look up, and the common case is 11 host instructions instead of 19.  A
 * plain `hal run` counts this way (hal/core/runner.py): the instruction mix
 * and the profile, which need every block's executions, use the block hooks. */
void hal_count_total_4(void *uc, uint64_t address, uint32_t size, void *user_data)
{
    hal_counter *c = user_data;
    uint64_t after = c->retired + (size >> 2);
    if (__builtin_expect(size >= 4 && after <= c->guard, 1)) {
        c->retired = after;
        c->last_address = address;
        c->last_size = size;
        return;
    }
    total_slow(uc, address, size, c);
}

/* The k-th block that ran, as (address, size, n, execs), if there is room. */
static uint32_t copy_out(const hal_slot *b, uint64_t address, uint64_t *out,
                         uint32_t k, uint32_t max)
{
    if (!b->key || !b->execs)
        return k;
    if (k < max) {
        out[4 * k] = address;
        out[4 * k + 1] = SIZE(b->key);
        out[4 * k + 2] = b->n;
        out[4 * k + 3] = b->execs;
    }
    return k + 1;
}

/* Copy out up to max blocks that ran, the table's first.  Returns how many
 * there are in all, which may be more than max. */
uint32_t hal_counter_blocks(hal_counter *c, uint64_t *out, uint32_t max)
{
    uint32_t k = 0;
    for (uint64_t i = 0; i <= c->mask; i++)
        k = copy_out(&c->table[i].s, c->table[i].address, out, k, max);
    if (c->direct)
        for (uint64_t i = 0; i <= c->span >> c->shift; i++)
            k = copy_out(&c->direct[i], c->base + (i << c->shift), out, k, max);
    return k;
}

/* How new variable-width blocks were counted: out[0] decoded here with
 * capstone, out[1] asked of Python. */
void hal_counter_stats(hal_counter *c, uint32_t *out)
{
    out[0] = c->decoded;
    out[1] = c->asked;
}

/* The last block counted, as (address, size, n); all zero if none.  The
 * block hooks keep it in `last`, the totals hook in last_address and
 * last_size. */
void hal_counter_last(hal_counter *c, uint64_t *out)
{
    hal_slot *b = c->last;
    if (b) {
        out[0] = address_of(c, b);
        out[1] = SIZE(b->key);
        out[2] = b->n;
    } else if (c->last_size != NO_BLOCK) {
        out[0] = c->last_address;
        out[1] = c->last_size;
        out[2] = at_least_one(c->last_size / c->width);
    } else {
        out[0] = out[1] = out[2] = 0;
    }
}
