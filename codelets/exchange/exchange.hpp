#pragma once
// The slice-end stages of DESIGN.md: gather (compact the spikes that have remote targets into
// the outbox), exchange (send the outbox, fill the inbox) and deliver_remote (inbox into the
// rings). On one process there are no remote targets: the tasks carry the graph's shape and
// its dependencies (advance -> gather -> exchange -> deliver_remote -> next advance) and move
// no spikes. Buffers are tiny mailboxes (uint64 [1] counts).
#include "runtime/buffer.hpp"

namespace starling::codelets::exchange {

void insert_gather(runtime::handle outbox);
void insert_exchange(runtime::handle outbox, runtime::handle inbox);
void insert_deliver_remote(runtime::handle inbox);

}  // namespace starling::codelets::exchange
