#pragma once
/// Password hashing off the service's loop: an Argon2id hash takes about 0.1 s and 64 MiB, which
/// would stall every other client (and the bus) if done on the loop. One thread, so that a flood of
/// logins queues here (the throttle bounds it per client) instead of taking every core. Results
/// come back on the loop.
#include <functional>
#include <optional>
#include <string>

#include <utility>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "password_hash.hpp"

namespace intercom::web {

class HashWorker {
 public:
  HashWorker(boost::asio::io_context& io, HashCost cost) : io_(io), cost_(cost) {}
  ~HashWorker() { stop(); }

  /// Calls done on the loop with whether the password matches the stored hash.
  void verify(std::string stored, std::string password, std::function<void(bool)> done);
  /// Calls done on the loop with the new hash (nothing if the machine could not spare the memory).
  void hash(std::string password, std::function<void(std::optional<std::string>)> done);
  /// Waits for the hash under way, drops the rest.
  void stop();

  HashCost cost() const { return cost_; }

 private:
  boost::asio::io_context& io_;
  HashCost cost_;
  boost::asio::thread_pool pool_{1};
  bool stopped_ = false;
};

}  // namespace intercom::web
