#pragma once
// STARLING_TASK_TIMES=1: StarPU's profiling of every per-operation task (codelets/common/op_task:
// the connect tasks and the literal per-step graph), summed per codelet name and printed to
// stderr at exit: submission, waiting to be taken by a worker, data acquisition
// (allocation and transfers where the task runs), the codelet itself. A diagnostic for where
// per-task overhead goes.

namespace starling::runtime {

/// Whether STARLING_TASK_TIMES is set (read once).
bool task_times_on();

/// Turns StarPU's task profiling on (after starpu_init) when task_times_on().
void start_task_times();

/// A StarPU task callback: adds the running task's profile to the sums of codelet `name` (a
/// string that outlives the process's tasks).
void record_task_times(void* name);

}  // namespace starling::runtime
