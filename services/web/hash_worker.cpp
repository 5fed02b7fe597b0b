#include "hash_worker.hpp"

#include <boost/asio/post.hpp>

namespace intercom::web {

void HashWorker::verify(std::string stored, std::string password, std::function<void(bool)> done) {
  if (stopped_) return;
  boost::asio::post(pool_, [this, stored = std::move(stored), password = std::move(password), done = std::move(done)]() mutable {
    const bool matches = verify_password(stored, password);
    boost::asio::post(io_, [matches, done = std::move(done)] { done(matches); });
  });
}

void HashWorker::hash(std::string password, std::function<void(std::optional<std::string>)> done) {
  if (stopped_) return;
  boost::asio::post(pool_, [this, password = std::move(password), done = std::move(done)]() mutable {
    auto hashed = hash_password(password, cost_);
    boost::asio::post(io_, [hashed = std::move(hashed), done = std::move(done)] { done(hashed); });
  });
}

void HashWorker::stop() {
  if (stopped_) return;
  stopped_ = true;
  pool_.stop();
  pool_.join();
}

}  // namespace intercom::web
