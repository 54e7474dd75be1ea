// The e-Referral adapter's run loop: wiring of store, MLLP server, folder drop, e-RS poller and
// outbox delivery.
#include "adapters/ers/ers_adapter.hpp"

// clang-format off
#include <utility>  // first: Boost 1.74 Asio's awaitable.hpp needs std::exchange
// clang-format on
#include <fmt/format.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <thread>

#include "adapters/common/mdp_client.hpp"
#include "adapters/common/outbox.hpp"
#include "adapters/ers/ers_store.hpp"
#include "schemas/error.hpp"

namespace hub::ers {

namespace asio = boost::asio;

namespace {
constexpr std::int64_t kDayMs = 86'400'000;

// A worker thread's end: its error (if any), and `halt` so the others stop too.
struct ThreadExit {
  Status status;
  void Fail(Status s, std::atomic<bool>& halt) {
    status = std::move(s);
    halt = true;
  }
};

// Outbox delivery (DESIGN §3): its own ers.db connection and broker socket. Resends with the
// same envelope id until booking answers, and records the answer on the referral in the
// transaction that removes the message. That connection commits with synchronous=NORMAL: a
// delivery record lost to a power cut only means the message is sent again with the same id,
// which the broker and the booking worker deduplicate; the referral itself was committed with
// the configured synchronous (FULL) before its AA. So one reply costs no fsync, and the write
// lock the MLLP thread needs is held for microseconds.
void RunDelivery(const ErsConfig& config, const wire::BrokerConnection& broker, zmq::context_t& ctx,
                 const Clock& clock, const std::atomic<bool>& stop, std::atomic<bool>& halt,
                 ThreadExit* exit) {
  auto store = ErsStore::Open(config.db_path, storage::Synchronous::kNormal);
  if (!store.ok()) return exit->Fail(store.status(), halt);
  adapters::MdpClient client(ctx, broker, std::string(kAdapterSource));
  adapters::OutboxSender sender((*store)->db(), client, config.outbox, clock);
  auto on_reply = [&](const wire::Envelope& sent, std::string_view, const wire::Envelope& reply) {
    if (reply.type == schemas::kErrorType) {
      spdlog::error("booking refused referral message {} (see ers.db referrals.reason)", sent.id);
    }
    return (*store)->RecordReply(sent, reply, clock.NowMs());
  };
  while (!stop && !halt) {
    // New outbox rows are picked up within 20 ms; replies are handled as they come.
    auto done = sender.Pump(20, on_reply);
    if (!done.ok()) return exit->Fail(done.status(), halt);
  }
}

// The e-RS poller: its own store connection and HTTP client.
void RunErs(const ErsConfig& config, const Clock& clock, const std::atomic<bool>& stop,
            std::atomic<bool>& halt, ThreadExit* exit) {
  auto store = ErsStore::Open(config.db_path, config.synchronous);
  if (!store.ok()) return exit->Fail(store.status(), halt);
  auto client = ErsClient::Create(config.client);
  if (!client.ok()) return exit->Fail(client.status(), halt);
  ErsPoller poller(**store, **client, config.poller, clock);
  spdlog::info("e-RS poller started: {} service(s) at {}", config.poller.services.size(),
               config.client.base_url);
  while (!stop && !halt) {
    if (Status s = poller.RunOnce(); !s.ok()) return exit->Fail(s, halt);
    for (int i = 0; i < 20 && !stop && !halt; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}
}  // namespace

Status RunErsAdapter(const ErsAdapterOptions& options, const wire::BrokerConnection& broker,
                     const Clock& clock, const std::atomic<bool>& stop) {
  const ErsConfig& config = options.config;
  if (config.ers_enabled) {
    // Refuse a bad base URL or TLS set-up before anything starts.
    auto probe = ErsClient::Create(config.client);
    if (!probe.ok()) return probe.status();
  }
  HUB_ASSIGN_OR_RETURN(auto store, ErsStore::Open(config.db_path, config.synchronous));
  {
    auto purged = store->PurgeInbound(clock.NowMs() - config.inbound_retention_days * kDayMs);
    if (!purged.ok()) return purged.status();
  }

  Hl7Intake hl7(*store, config.hl7, clock);
  asio::io_context io;
  Status fatal;
  auto fail = [&](Status s) {
    if (fatal.ok()) fatal = std::move(s);
    io.stop();
  };

  // Group commit: one transaction for every frame that arrived in this turn of the loop; the
  // ACKs are written only after it commits (AA = in the outbox).
  auto on_batch = [&](std::vector<MllpWork>& batch) {
    Status status;
    {
      storage::Transaction txn(store->db());
      status = txn.status();
      for (auto& w : batch) {
        if (!status.ok()) break;
        InboundMeta meta{"mllp", w.peer, ""};
        auto reply = w.framing_error ? hl7.ProcessFramingError(w.error, w.message, meta)
                                     : hl7.Process(w.message, meta);
        if (!reply.ok()) {
          status = reply.status();
          break;
        }
        w.reply = std::move(reply->ack);
      }
      if (status.ok()) status = txn.Commit();
    }
    if (!status.ok()) {
      spdlog::error("cannot store {} HL7 message(s); answering AR 207: {}", batch.size(),
                    status.ToString());
      for (auto& w : batch) w.reply = hl7.FailureReply(w.message, status).ack;
    }
  };
  MllpServer mllp(io, config.mllp, on_batch);
  int acks = 0;
  if (options.crash_after_acks > 0) {
    mllp.set_sent_hook([&] {
      if (++acks >= options.crash_after_acks) {
        spdlog::warn("crashing on purpose after reply {} (--crash-after-ack)", acks);
        raise(SIGKILL);
      }
    });
  }
  if (config.hl7_enabled) HUB_RETURN_IF_ERROR(mllp.Start());

  std::unique_ptr<FolderDrop> folder;
  if (config.folder_enabled) {
    HUB_ASSIGN_OR_RETURN(folder, FolderDrop::Create(*store, hl7, config.folder, clock));
  }

  std::atomic<bool> halt = false;
  zmq::context_t ctx;
  ThreadExit delivery_exit, ers_exit;
  std::thread delivery(RunDelivery, std::cref(config), std::cref(broker), std::ref(ctx),
                       std::cref(clock), std::cref(stop), std::ref(halt), &delivery_exit);
  std::thread ers_thread;
  if (config.ers_enabled) {
    ers_thread = std::thread(RunErs, std::cref(config), std::cref(clock), std::cref(stop),
                             std::ref(halt), &ers_exit);
  }

  asio::steady_timer folder_timer(io);
  std::function<void()> scan = [&] {
    auto moved = folder->Scan();
    if (!moved.ok()) return fail(moved.status());
    folder_timer.expires_after(std::chrono::milliseconds(config.folder_scan_interval_ms));
    folder_timer.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) scan();
    });
  };
  asio::steady_timer stop_timer(io);
  std::function<void()> watch = [&] {
    if (stop || halt) {
      mllp.Stop();
      io.stop();
      return;
    }
    stop_timer.expires_after(std::chrono::milliseconds(50));
    stop_timer.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) watch();
    });
  };
  if (folder) scan();
  watch();
  spdlog::info("ers adapter ready: HL7 MLLP {}, folder drop {}, e-RS {}",
               config.hl7_enabled ? fmt::format("on {}:{}", config.mllp.host, mllp.port()) : "off",
               folder ? config.folder.inbox : "off", config.ers_enabled ? "on" : "off");
  try {
    io.run();
  } catch (const std::exception& e) {
    fatal = Status::Internal(fmt::format("event loop failure: {}", e.what()));
  }
  mllp.Stop();
  halt = true;
  delivery.join();
  if (ers_thread.joinable()) ers_thread.join();
  for (const Status* s : {&fatal, &delivery_exit.status, &ers_exit.status}) {
    if (!s->ok()) return *s;
  }
  return Status::Ok();
}

}  // namespace hub::ers
