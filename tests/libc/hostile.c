/* hostile.c: system calls with arguments no sane program passes (unmapped
 * buffers, unknown numbers, absurd lengths).  Each comes back as an error
 * number, as a Linux kernel answers it; none may take down the emulator. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define NOWHERE ((void *)16)            /* below the first page any program has */
#define HUGE_LENGTH ((size_t)-1 & ~(size_t)4095)
#ifndef SYS_clock_gettime               /* musl's 32-bit ISAs name only the 64-bit-time call */
#define SYS_clock_gettime SYS_clock_gettime64
#endif

static void show(const char *what, long result)
{
    printf("%-34s %ld %s\n", what, result, result < 0 ? strerror(errno) : "");
    errno = 0;
}

int main(void)
{
    show("write from unmapped memory", syscall(SYS_write, 1, NOWHERE, 100));
    show("getrandom into unmapped memory", syscall(SYS_getrandom, NOWHERE, 16, 0));
    show("clock_gettime into unmapped memory", syscall(SYS_clock_gettime, CLOCK_REALTIME, NOWHERE));
    show("clock_gettime of no clock", syscall(SYS_clock_gettime, 12345, NOWHERE));
    show("uname into unmapped memory", syscall(SYS_uname, NOWHERE));
    show("open an unmapped path", syscall(SYS_openat, AT_FDCWD, NOWHERE, O_RDONLY));
    show("an unknown system call", syscall(32000));
    show("system call -1", syscall(-1));
    show("munmap past the top", syscall(SYS_munmap, 4096, (size_t)-8192));
    show("mprotect of everything", mprotect((void *)0x50000000, HUGE_LENGTH, PROT_READ));
    show("mmap of all memory", mmap(NULL, HUGE_LENGTH, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
         == MAP_FAILED ? -1 : 0);
    struct iovec iov = {"x", 1};
    show("writev of -1 vectors", syscall(SYS_writev, 1, &iov, -1));
    show("close a descriptor never opened", close(12345));
    show("dup2 onto descriptor 100000", dup2(1, 100000));
    show("lseek on standard output", lseek(1, 0, SEEK_SET));
    struct winsize ws;
    show("ioctl on a descriptor never opened", ioctl(99, TIOCGWINSZ, &ws));
    struct sigaction sa = {0};
    sa.sa_handler = SIG_IGN;
    show("ignore SIGKILL", sigaction(SIGKILL, &sa, NULL));
    struct timespec nonsense = {0, 2000000000};
    show("nanosleep 2e9 nanoseconds", nanosleep(&nonsense, NULL));
    puts("still running");
    return 0;
}
