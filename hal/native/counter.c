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
 *   - each block's instruction count is size / width on fixed-width ISAs, and
 *     asked of Python once per block (capstone) where widths vary;
 *   - every block keeps an execution count, for the dynamic instruction mix.
 *
 * Why it is shaped this way: Unicorn's own cost of calling any block hook is
 * about 4% of raw speed, and a hash look-up per block cost another 2 to 5%.
 * So blocks in the guest's code (all of it, in practice: only code pages are
 * executable) live in a direct map indexed by their offset, and one compare
 * against `guard` (the nearer of slice end and limit) clears a block to run.
 * Anything else (another code range, a second block size at one address)
 * goes to an open-addressing table.
 *
 * Nothing here is linked against Unicorn: Python hands in uc_emu_stop's
 * address, so the library builds with nothing but a C compiler.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef int (*emu_stop_fn)(void *uc);
typedef uint32_t (*resolve_fn)(uint64_t address, uint32_t size);

typedef struct {
    uint64_t address;
    uint64_t execs;
    uint32_t size;          /* 0: empty slot */
    uint32_t n;             /* instructions in the block */
} hal_block;

typedef struct {
    /* read and written from Python (hal/counting.py mirrors this prefix) */
    uint64_t retired;       /* exact count so far */
    uint64_t slice_end;     /* no block starts once retired reaches this */
    uint64_t limit;         /* never retire more than this */
    uint64_t guard;         /* min(slice_end, limit): a block ending at or below it just runs */
    hal_block *last;        /* the last block counted, for fault corrections; NULL: none */
    int32_t stop;           /* why we stopped the engine: 0 no, 1 slice, 2 limit */
    uint32_t width;         /* fixed instruction width; 0: ask resolve() */
    /* private */
    emu_stop_fn emu_stop;
    resolve_fn resolve;
    uint64_t base;          /* the direct map covers [base, base + span) */
    uint64_t span;
    uint64_t align_mask;    /* offsets that are not multiples of the alignment go to the table */
    uint32_t shift;         /* log2 of that alignment */
    hal_block *direct;
    hal_block *table;       /* open addressing on (address, size) */
    uint32_t mask;
    uint32_t used;
    hal_block spare;        /* stands in for a block when memory runs out */
} hal_counter;

static uint32_t slot_of(uint64_t address, uint32_t size, uint32_t mask)
{
    uint64_t h = (address ^ ((uint64_t)size << 48)) * 0x9E3779B97F4A7C15ull;
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
        if (!b->size)
            continue;
        uint32_t s = slot_of(b->address, b->size, cap - 1);
        while (t[s].size)
            s = (s + 1) & (cap - 1);
        t[s] = *b;
    }
    free(c->table);
    c->table = t;
    c->mask = cap - 1;
    return 0;
}

hal_counter *hal_counter_new(uint32_t width, void *emu_stop, void *resolve)
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
    c->emu_stop = (emu_stop_fn)emu_stop;
    c->resolve = (resolve_fn)resolve;
    return c;
}

/* Give the counter a direct map over [base, base + span), blocks starting on
 * multiples of 1 << shift; hook it with hal_count_block_<1 << shift>.
 * Returns 0, or -1 if out of memory (the table then serves every block). */
int hal_counter_map(hal_counter *c, uint64_t base, uint64_t span, uint32_t shift)
{
    hal_block *d = calloc((size_t)(span >> shift) + 1, sizeof *d);
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

void hal_counter_free(hal_counter *c)
{
    if (c) {
        free(c->direct);
        free(c->table);
        free(c);
    }
}

static void fill(hal_counter *c, hal_block *b, uint64_t address, uint32_t size)
{
    b->address = address;
    b->size = size;
    b->execs = 0;
    b->n = c->width ? size / c->width : c->resolve(address, size);
    if (b->n == 0)
        b->n = 1;                   /* no block is empty: the count always moves */
}

static hal_block *find(hal_counter *c, uint64_t address, uint32_t size)
{
    uint32_t s = slot_of(address, size, c->mask);
    for (;;) {
        hal_block *b = &c->table[s];
        if (b->size == size && b->address == address)
            return b;
        if (!b->size)
            break;
        s = (s + 1) & c->mask;
    }
    if (2 * (c->used + 1) > c->mask + 1) {       /* keep the table at most half full */
        if (grow(c) != 0) {
            fill(c, &c->spare, address, size);
            return &c->spare;
        }
        return find(c, address, size);
    }
    hal_block *b = &c->table[s];
    fill(c, b, address, size);
    c->used++;
    return b;
}

/* Everything but the common case: a block not yet in the direct map, outside
 * it, or near the end of the slice or the limit. */
static __attribute__((noinline)) void count_slow(void *uc, hal_counter *c, uint64_t address,
                                                 uint32_t size)
{
    uint64_t offset = address - c->base;
    hal_block *b;
    if (offset < c->span && !(offset & c->align_mask)) {
        b = &c->direct[offset >> c->shift];
        if (b->size == 0)
            fill(c, b, address, size);
        else if (b->size != size)
            b = find(c, address, size);
    } else {
        b = find(c, address, size);
    }
    if (c->retired >= c->slice_end) {
        c->stop = 1;
        c->emu_stop(uc);
        return;
    }
    if (c->retired + b->n > c->limit) {
        c->stop = 2;
        c->emu_stop(uc);
        return;
    }
    b->execs++;
    c->retired += b->n;
    c->last = b;
}

/* The UC_HOOK_BLOCK callbacks: user_data is the hal_counter.  The common case
 * (a known block in the direct map, well inside the slice) is a leaf function
 * of a dozen instructions; anything else is count_slow's.  There is one per
 * instruction alignment, the shift a constant, because at some 20 ns a block
 * on x86 even a variable shift shows in the benchmark. */
#define COUNT_BLOCK(NAME, SHIFT)                                                        \
    void NAME(void *uc, uint64_t address, uint32_t size, void *user_data)               \
    {                                                                                   \
        hal_counter *c = user_data;                                                     \
        uint64_t offset = address - c->base;                                            \
        if (__builtin_expect(offset < c->span && !(offset & ((1u << SHIFT) - 1)), 1)) { \
            hal_block *b = &c->direct[offset >> SHIFT];                                 \
            uint64_t after = c->retired + b->n;                                         \
            if (__builtin_expect(b->size == size && after <= c->guard, 1)) {            \
                b->execs++;                                                             \
                c->retired = after;                                                     \
                c->last = b;                                                            \
                return;                                                                 \
            }                                                                           \
        }                                                                               \
        count_slow(uc, c, address, size);                                               \
    }

COUNT_BLOCK(hal_count_block_1, 0)
COUNT_BLOCK(hal_count_block_2, 1)
COUNT_BLOCK(hal_count_block_4, 2)

/* Copy out up to max blocks that ran: (address, size, n, execs) each.
 * Returns how many there are in all, which may be more than max. */
static uint32_t copy_out(const hal_block *blocks, uint64_t count, uint64_t *out,
                         uint32_t k, uint32_t max)
{
    for (uint64_t i = 0; i < count; i++) {
        const hal_block *b = &blocks[i];
        if (b->size && b->execs) {
            if (k < max) {
                out[4 * k] = b->address;
                out[4 * k + 1] = b->size;
                out[4 * k + 2] = b->n;
                out[4 * k + 3] = b->execs;
            }
            k++;
        }
    }
    return k;
}

uint32_t hal_counter_blocks(hal_counter *c, uint64_t *out, uint32_t max)
{
    uint32_t k = copy_out(c->table, (uint64_t)c->mask + 1, out, 0, max);
    if (c->direct)
        k = copy_out(c->direct, (c->span >> c->shift) + 1, out, k, max);
    return k;
}

/* The last block counted, as (address, size, n); all zero if none. */
void hal_counter_last(hal_counter *c, uint64_t *out)
{
    hal_block *b = c->last;
    out[0] = b ? b->address : 0;
    out[1] = b ? b->size : 0;
    out[2] = b ? b->n : 0;
}
