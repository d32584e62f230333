package dev.corral.broker.workers;

/**
 * One child process of a worker's process pool, as reported in heartbeats.
 *
 * @param pid the operating-system process id
 * @param processId the pool's own id for the process (stable across the process's life, unique in the worker)
 * @param state idle, busy or killed
 * @param memoryMb resident memory in MiB (from {@code /proc/<pid>/status}; 0 when unknown)
 * @param uptimeSeconds seconds since the process started
 * @param executionsCompleted jobs the process has finished (completed or failed)
 * @param execution the job it runs now, or {@code null} when idle
 */
public record ProcessInfo(long pid, String processId, ProcessState state, long memoryMb, long uptimeSeconds,
    long executionsCompleted, RunningExecution execution) {}
