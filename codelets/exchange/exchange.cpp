#include "exchange.hpp"

#include <starpu.h>

#include "runtime/check.hpp"
#include "starling/config.hpp"

namespace starling::codelets::exchange {

namespace {

// One process: nothing has remote targets, so each stage has nothing to move.
void nothing(void*[], void*) noexcept {}

starpu_codelet make(const char* name, int nbuffers) {
  starpu_codelet c;
  starpu_codelet_init(&c);
  c.where = STARPU_CPU;
  c.cpu_funcs[0] = &nothing;
#if STARLING_HAVE_CUDA
  c.where |= STARPU_CUDA;
  c.cuda_funcs[0] = &nothing;
  c.cuda_flags[0] = STARPU_CUDA_ASYNC;
#endif
  c.nbuffers = nbuffers;
  c.name = name;
  return c;
}

}  // namespace

void insert_gather(runtime::handle outbox) {
  static starpu_codelet cl = make("gather", 1);
  STARLING_CHECK_STARPU(starpu_task_insert(&cl, STARPU_RW, outbox, 0));
}

void insert_exchange(runtime::handle outbox, runtime::handle inbox) {
  static starpu_codelet cl = make("exchange", 2);
  STARLING_CHECK_STARPU(starpu_task_insert(&cl, STARPU_R, outbox, STARPU_W, inbox, 0));
}

void insert_deliver_remote(runtime::handle inbox) {
  static starpu_codelet cl = make("deliver_remote", 1);
  STARLING_CHECK_STARPU(starpu_task_insert(&cl, STARPU_RW, inbox, 0));
}

}  // namespace starling::codelets::exchange
