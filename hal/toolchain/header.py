"""Generate guests/include/hal_services.h from the service table and the ISA registry.

Like xv6's usys.pl, the guest-side stubs are generated from one source, so the
numbers a guest traps with are always the numbers the HAL dispatches on.
"""
from __future__ import annotations

from ..core.services import LIBC_TAG, SERVICES, Service


def _stub(s: Service) -> str:
    params = ", ".join(s.args) or "void"
    names = [a.replace("*", " ").split()[-1] for a in s.args]
    call_args = [f"(long){n}" for n in names] + ["0"] * (3 - len(names))
    call = f"hal_trap(HAL_SVC(HAL_SVC_{s.name.upper()}), {', '.join(call_args)})"
    attr = "__attribute__((noreturn)) " if s.noreturn else ""
    lines = [f"/* {s.doc}{' (blocking)' if s.blocking else ''} */",
             f"static inline {attr}{s.returns} hal_{s.name}({params})", "{"]
    if s.returns == "void":
        lines.append(f"    {call};")
        if s.noreturn:
            lines.append("    for (;;) { }")
    else:
        lines.append(f"    return ({s.returns}){call};")
    lines.append("}")
    return "\n".join(lines)


def render_header() -> str:
    """The full text of hal_services.h."""
    from ..core.registry import backends

    width = max(len(s.name) for s in SERVICES) + 9
    out = [
        "/* hal_services.h: HAL service numbers and trap stubs.",
        " *",
        " * GENERATED from hal/core/services.py by `hal header`; do not edit.",
        " * Every stub ends in hal_trap(), the per-ISA trap instruction in",
        " * arch/<isa>/trap.S, so one call here becomes int 0x2e, syscall, sc",
        " * or ecall depending on the ISA the guest is built for.",
        " */",
        "#ifndef HAL_SERVICES_H",
        "#define HAL_SERVICES_H",
        "",
        "long hal_trap(long service, long a0, long a1, long a2);",
        "",
    ]
    out += [f"#define {'HAL_SVC_' + s.name.upper():<{width}} {s.number:>3}  /* {s.doc} */"
            for s in SERVICES]
    out += ["",
            "/* With the C library (-DHAL_LIBC) the trap also serves Linux system calls,",
            " * so HAL numbers carry a tag no ISA's Linux numbers reach (services.py). */",
            f"#define HAL_SVC_TAG {LIBC_TAG:#010x}",
            "#ifdef HAL_LIBC",
            "#define HAL_SVC(n) (HAL_SVC_TAG | (n))",
            "#else",
            "#define HAL_SVC(n) (n)",
            "#endif",
            ""]
    out += [f"#define {'HAL_ISA_' + b.name.upper():<{width}} {b.isa_id:>3}  /* {b.title} */"
            for b in backends()]
    out.append("")
    out += [_stub(s) + "\n" for s in SERVICES]
    out.append("#endif /* HAL_SERVICES_H */")
    return "\n".join(out) + "\n"
