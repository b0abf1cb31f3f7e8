/* counter.c: exact retired-instruction counting in C, called by Unicorn at the
 * start of every basic block (UC_HOOK_BLOCK), so that counting costs a table
 * look-up per block instead of a trip into Python.
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
    uint64_t retired;       /* exact count so far */
    uint64_t slice_end;     /* no block starts once retired reaches this */
    uint64_t limit;         /* never retire more than this */
    uint64_t last_address;  /* the last block counted, for fault corrections */
    uint32_t last_size;
    uint32_t last_n;
    int32_t stop;           /* why we stopped the engine: 0 no, 1 slice, 2 limit */
    uint32_t width;         /* fixed instruction width; 0: ask resolve() */
    emu_stop_fn emu_stop;
    resolve_fn resolve;
    hal_block *table;       /* open addressing on (address, size) */
    uint32_t mask;
    uint32_t used;
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
    c->table = calloc(1024, sizeof *c->table);
    if (!c->table) {
        free(c);
        return NULL;
    }
    c->mask = 1023;
    c->width = width;
    c->slice_end = c->limit = UINT64_MAX;
    c->emu_stop = (emu_stop_fn)emu_stop;
    c->resolve = (resolve_fn)resolve;
    return c;
}

void hal_counter_free(hal_counter *c)
{
    if (c) {
        free(c->table);
        free(c);
    }
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
        if (grow(c) != 0)
            return NULL;
        return find(c, address, size);
    }
    hal_block *b = &c->table[s];
    b->address = address;
    b->size = size;
    b->execs = 0;
    b->n = c->width ? size / c->width : c->resolve(address, size);
    if (b->n == 0)
        b->n = 1;                   /* no block is empty: the count always moves */
    c->used++;
    return b;
}

/* The UC_HOOK_BLOCK callback: user_data is the hal_counter. */
void hal_count_block(void *uc, uint64_t address, uint32_t size, void *user_data)
{
    hal_counter *c = user_data;
    hal_block *b = find(c, address, size);
    uint32_t n = b ? b->n : 1;
    if (c->retired >= c->slice_end) {
        c->stop = 1;
        c->emu_stop(uc);
        return;
    }
    if (c->retired + n > c->limit) {
        c->stop = 2;
        c->emu_stop(uc);
        return;
    }
    if (b)
        b->execs++;
    c->retired += n;
    c->last_address = address;
    c->last_size = size;
    c->last_n = n;
}

/* Copy out up to max blocks that ran: (address, size, n, execs) each. */
uint32_t hal_counter_blocks(hal_counter *c, uint64_t *out, uint32_t max)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i <= c->mask && k < max; i++) {
        hal_block *b = &c->table[i];
        if (b->size && b->execs) {
            out[4 * k] = b->address;
            out[4 * k + 1] = b->size;
            out[4 * k + 2] = b->n;
            out[4 * k + 3] = b->execs;
            k++;
        }
    }
    return k;
}
