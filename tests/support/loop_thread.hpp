#pragma once
/// An io_context run on a thread of its own, for tests that drive in-process parts (a Bus, a
/// service, the simulated modem) from the test's thread: run() carries a call over to the loop and
/// waits for it, so the parts themselves stay single-threaded as in a service.
#include <future>
#include <thread>
#include <type_traits>

#include <utility>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

namespace intercom::testing {

class LoopThread {
 public:
  LoopThread() : work_(io_.get_executor()), thread_([this] { io_.run(); }) {}
  /// Lets the loop end once the work left on it is done; the owner stops its parts first (run()).
  ~LoopThread() {
    work_.reset();
    thread_.join();
  }
  LoopThread(const LoopThread&) = delete;
  LoopThread& operator=(const LoopThread&) = delete;

  boost::asio::io_context& io() { return io_; }

  /// Runs fn on the loop and returns what it returns.
  template <typename Fn>
  auto run(Fn fn) -> std::invoke_result_t<Fn> {
    std::packaged_task<std::invoke_result_t<Fn>()> task(std::move(fn));
    auto result = task.get_future();
    boost::asio::post(io_, [&task] { task(); });
    return result.get();
  }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

}  // namespace intercom::testing
