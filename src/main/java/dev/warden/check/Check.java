package dev.warden.check;

/**
 * One preflight check. Implementations answer with {@link CheckResult#pass}, {@link CheckResult#warn}
 * or {@link CheckResult#fail}; a thrown exception is reported as FAIL. A check runs on its own
 * thread and may be interrupted at its timeout: it must not hold anything that outlives it
 * ({@link CheckContext#tools()} kills the programs it starts).
 */
@FunctionalInterface
public interface Check {
    CheckResult run(CheckContext ctx) throws Exception;
}
