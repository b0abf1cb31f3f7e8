/* hal_services.h: HAL service numbers and trap stubs.
 *
 * GENERATED from hal/core/services.py by `hal header`; do not edit.
 * Every stub ends in hal_trap(), the per-ISA trap instruction in
 * arch/<isa>/trap.S, so one call here becomes int 0x2e, syscall, sc
 * or ecall depending on the ISA the guest is built for.
 */
#ifndef HAL_SERVICES_H
#define HAL_SERVICES_H

long hal_trap(long service, long a0, long a1, long a2);

#define HAL_SVC_EXIT       1  /* end the guest; code becomes its exit status */
#define HAL_SVC_WRITE      2  /* write len bytes to the console; returns the count written */
#define HAL_SVC_TIME       3  /* virtual ticks (retired instructions) on this guest's clock */
#define HAL_SVC_CORE_ID    4  /* the emulated core the guest is running on */
#define HAL_SVC_ISA_ID     5  /* which ISA runs the guest (HAL_ISA_* below) */
#define HAL_SVC_YIELD      6  /* give up the core to another ready guest */
#define HAL_SVC_SLEEP      7  /* block for this many virtual ticks */
#define HAL_SVC_SEND       8  /* send a number on a channel; blocks while the channel is full */
#define HAL_SVC_RECV       9  /* receive a number from a channel; blocks until one arrives */
#define HAL_SVC_WAIT      10  /* block until another guest exits; returns its exit code */
#define HAL_SVC_READ      11  /* read up to len bytes of console input; returns the count, 0 at end */
#define HAL_SVC_ARG       12  /* the number the workload gave this guest (guest@isa:arg=N; 0 if none) */
#define HAL_SVC_FP_TRAP   13  /* trap on these floating-point exceptions (HAL_FE_*) from now on, 0 for none; returns the set before */

/* With the C library (-DHAL_LIBC) the trap also serves Linux system calls,
 * so HAL numbers carry a tag no ISA's Linux numbers reach (services.py). */
#define HAL_SVC_TAG 0x48410000
#ifdef HAL_LIBC
#define HAL_SVC(n) (HAL_SVC_TAG | (n))
#else
#define HAL_SVC(n) (n)
#endif

#define HAL_ISA_X86        1  /* i386, 32-bit flat, cdecl */
#define HAL_ISA_MIPS       2  /* MIPS32 R4000-style, o32 ABI */
#define HAL_ISA_PPC        3  /* PowerPC 32, System V ABI */
#define HAL_ISA_ALPHA      4  /* Alpha-like 64-bit RISC, RISC-V RV64IMFD code */

/* end the guest; code becomes its exit status */
static inline __attribute__((noreturn)) void hal_exit(long code)
{
    hal_trap(HAL_SVC(HAL_SVC_EXIT), (long)code, 0, 0);
    for (;;) { }
}

/* write len bytes to the console; returns the count written */
static inline long hal_write(const void *buf, unsigned long len)
{
    return (long)hal_trap(HAL_SVC(HAL_SVC_WRITE), (long)buf, (long)len, 0);
}

/* virtual ticks (retired instructions) on this guest's clock */
static inline unsigned long hal_time(void)
{
    return (unsigned long)hal_trap(HAL_SVC(HAL_SVC_TIME), 0, 0, 0);
}

/* the emulated core the guest is running on */
static inline long hal_core_id(void)
{
    return (long)hal_trap(HAL_SVC(HAL_SVC_CORE_ID), 0, 0, 0);
}

/* which ISA runs the guest (HAL_ISA_* below) */
static inline long hal_isa_id(void)
{
    return (long)hal_trap(HAL_SVC(HAL_SVC_ISA_ID), 0, 0, 0);
}

/* give up the core to another ready guest (blocking) */
static inline void hal_yield(void)
{
    hal_trap(HAL_SVC(HAL_SVC_YIELD), 0, 0, 0);
}

/* block for this many virtual ticks (blocking) */
static inline void hal_sleep(unsigned long ticks)
{
    hal_trap(HAL_SVC(HAL_SVC_SLEEP), (long)ticks, 0, 0);
}

/* send a number on a channel; blocks while the channel is full (blocking) */
static inline void hal_send(long channel, long value)
{
    hal_trap(HAL_SVC(HAL_SVC_SEND), (long)channel, (long)value, 0);
}

/* receive a number from a channel; blocks until one arrives (blocking) */
static inline long hal_recv(long channel)
{
    return (long)hal_trap(HAL_SVC(HAL_SVC_RECV), (long)channel, 0, 0);
}

/* block until another guest exits; returns its exit code (blocking) */
static inline long hal_wait(long guest)
{
    return (long)hal_trap(HAL_SVC(HAL_SVC_WAIT), (long)guest, 0, 0);
}

/* read up to len bytes of console input; returns the count, 0 at end (blocking) */
static inline long hal_read(void *buf, unsigned long len)
{
    return (long)hal_trap(HAL_SVC(HAL_SVC_READ), (long)buf, (long)len, 0);
}

/* the number the workload gave this guest (guest@isa:arg=N; 0 if none) */
static inline long hal_arg(void)
{
    return (long)hal_trap(HAL_SVC(HAL_SVC_ARG), 0, 0, 0);
}

/* trap on these floating-point exceptions (HAL_FE_*) from now on, 0 for none; returns the set before */
static inline unsigned long hal_fp_trap(unsigned long excepts)
{
    return (unsigned long)hal_trap(HAL_SVC(HAL_SVC_FP_TRAP), (long)excepts, 0, 0);
}

#endif /* HAL_SERVICES_H */
