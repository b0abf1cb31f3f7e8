/* tiny.c: a Linux program with no C library at all, built by Debian's
 * cross gcc (see build.sh): each ISA's system-call convention written out by
 * hand, as musl's arch/<isa>/syscall_arch.h does it.  It writes a line,
 * shows how an error comes back (a write to a descriptor that is not open:
 * EBADF, which is 9 on every ISA here), and exits with status 7. */
#if defined(__i386__)
enum { SYS_write = 4, SYS_exit_group = 252 };
static long syscall3(long n, long a, long b, long c)
{
    long r;                                 /* int 0x80: number in eax; -errno back */
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c) : "memory");
    return r;
}
#elif defined(__mips__)
enum { SYS_write = 4004, SYS_exit_group = 4246 };
static long syscall3(long n, long a, long b, long c)
{
    register long v0 __asm__("$2") = n;     /* syscall: number in v0; a3 = 1 on error */
    register long a0 __asm__("$4") = a, a1 __asm__("$5") = b, a2 __asm__("$6") = c;
    register long a3 __asm__("$7");
    __asm__ volatile("syscall" : "+r"(v0), "=r"(a3) : "r"(a0), "r"(a1), "r"(a2)
                     : "$1", "$3", "$8", "$9", "$10", "$11", "$12", "$13", "$14", "$15",
                       "$24", "$25", "hi", "lo", "memory");
    return a3 ? -v0 : v0;
}
#elif defined(__powerpc__)
enum { SYS_write = 4, SYS_exit_group = 234 };
static long syscall3(long n, long a, long b, long c)
{
    register long r0 __asm__("r0") = n;     /* sc: number in r0; CR0.SO set on error */
    register long r3 __asm__("r3") = a, r4 __asm__("r4") = b, r5 __asm__("r5") = c;
    __asm__ volatile("sc\n\tbns+ 1f\n\tneg 3, 3\n1:" : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5)
                     : : "r6", "r7", "r8", "r9", "r10", "r11", "r12", "cr0", "ctr", "memory");
    return r3;
}
#elif defined(__riscv)
enum { SYS_write = 64, SYS_exit_group = 94 };
static long syscall3(long n, long a, long b, long c)
{
    register long a7 __asm__("a7") = n;     /* ecall: number in a7; -errno back */
    register long a0 __asm__("a0") = a, a1 __asm__("a1") = b, a2 __asm__("a2") = c;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2) : "memory");
    return a0;
}
#endif

static const char hello[] = "hello from a program with no C library\n";
static char report[] = "writing to descriptor 99: error ?\n";

void _start(void)
{
    syscall3(SYS_write, 1, (long)hello, sizeof hello - 1);
    long r = syscall3(SYS_write, 99, (long)hello, 1);
    report[sizeof report - 3] = (char)('0' - r);        /* -EBADF is -9 */
    syscall3(SYS_write, 1, (long)report, sizeof report - 1);
    syscall3(SYS_exit_group, 7, 0, 0);
    for (;;)
        ;
}
