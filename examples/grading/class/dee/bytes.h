/* dee's own header: the bytes of a 32-bit value, most significant first. */
static inline unsigned byte_of(unsigned v, int i) { return (v >> (8 * (3 - i))) & 0xFF; }
