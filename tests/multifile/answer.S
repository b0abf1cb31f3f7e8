/* long answer(void): 42, written in each ISA's own assembly language.
 * One .S file serves all four: the preprocessor keeps the ISA's part. */
    .text
    .globl  answer
answer:
#if defined(__i386__)
    movl    $42, %eax
    ret
#elif defined(__mips__)
    .set    noreorder
    jr      $ra
    li      $v0, 42             /* delay slot */
    .set    reorder
#elif defined(__powerpc__)
    li      3, 42
    blr
#elif defined(__riscv)
    li      a0, 42
    ret
#else
#error "answer.S: an ISA halemu does not know"
#endif
