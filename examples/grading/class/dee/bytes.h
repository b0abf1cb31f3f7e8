/* dee's own header: the sum of the input (sum.c), and the bytes of a 32-bit
   value, most significant first. */
int read_sum(void);
static inline unsigned byte_of(unsigned v, int i) { return (v >> (8 * (3 - i))) & 0xFF; }
