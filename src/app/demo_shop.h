#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace rd::app {

// The demo shop of `rightsdesk demo`: a SQLite database of a small web shop (customers,
// addresses, orders, order_items, newsletter_subscriptions, support_tickets) filled with a
// few hundred fake people, the same on every machine (a fixed-seed generator, no clock), and
// its Fides dataset mapping (demo/shop_dataset.yml, embedded in the binary).

// A person the README names, whose data the demo requests are about.
struct DemoSubject {
  std::string email;
  std::string name;
  std::string request_type;  // the demo request created for them; "" = none (try it yourself)
};

// Ada Lovelace (a deletion), Grace Hopper (a copy) and Alan Turing (no request: submit one on
// the Privacy Center). Their addresses are @example.com; every generated person's is
// @example.net or @example.org, so they never collide.
const std::vector<DemoSubject>& DemoSubjects();

// How many customers the shop has (the demo subjects included).
inline constexpr int kDemoCustomers = 300;

// Creates the shop database at `path` (an absolute file path) when no file is there; returns
// true when it created it, false when one existed already (it is left as it is). The file is
// built under a temporary name and renamed, so a crash never leaves half a shop.
// Errors: kUnavailable naming the path when it cannot be written.
[[nodiscard]] core::Result<bool> CreateDemoShop(const std::string& path);

// The shop's Fides dataset YAML (demo/shop_dataset.yml).
std::string_view DemoShopDataset();

// The integration source's connector for the shop at `path` (JSON text): kind sql, the sqlite
// URL, and an erasure policy that shows several strategies (hmac, string, hash, random, null;
// row deletes come from the dataset's masking_strategy_override).
std::string DemoShopConnector(const std::string& path);

}  // namespace rd::app
