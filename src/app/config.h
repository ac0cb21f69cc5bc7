#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/result.h"

namespace rd::app {

// Every setting, with its default. Keys are `section.key` in the YAML file and
// RIGHTSDESK_SECTION__KEY in the environment; the environment wins over the file and flags
// win over both. docs/configuration.md documents each one; keep the two in step.
struct Config {
  // server.listen: HOST:PORT to bind.
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8080;
  // server.threads: HTTP worker threads (0 = 16 per core, at least 64: handlers wait on the
  // database, and on SQLite the more writes wait together, the more commit in one batch).
  int server_threads = 0;
  // server.secure_cookies: mark the session cookie Secure (set it when TLS terminates in front).
  bool secure_cookies = false;
  // server.public_url: the address people reach this server at, for links in emails; empty =
  // http://<server.listen>.
  std::string public_url;
  // worker.threads: background job threads in this process (serve and worker); 0 = none.
  int worker_threads = 2;
  // worker.lease: how long a claimed job stays its worker's; after that (the worker died)
  // another worker takes it over. Longer than the longest job, or the job runs twice.
  int worker_lease_seconds = 300;
  // worker.erase_batch: pending erasure tasks of one data source erased together by one job
  // (set-based, one transaction); 1 = each task alone.
  int worker_erase_batch = 500;
  // server.web_dir: the built web assets; empty = web/dist beside the binary or the checkout.
  std::string web_dir;
  // catalog.path: the directory with the bundled catalog.json and data_categories.json; empty =
  // catalog/ beside the binary's checkout or share/rightsdesk/catalog beside the installed one.
  std::string catalog_path;
  // catalog.local: an extra catalog file (same format) whose entries add to the bundled ones
  // and replace those with the same key; empty = none. `rightsdesk catalog import` writes one.
  std::string catalog_local;
  // data_dir: where the SQLite database, the master key and packages live.
  std::string data_dir = "./data";
  // database.url: sqlite:///path.db or postgresql://user:pass@host:port/db; empty = SQLite
  // at <data_dir>/rightsdesk.db.
  std::string database_url;
  // database.pool_size: connections per process.
  int database_pool_size = 8;
  // smtp.*: the outgoing mail server (empty host: mail is not sent).
  std::string smtp_host;
  int smtp_port = 587;
  std::string smtp_from = "privacy@localhost";
  std::string smtp_username;
  std::string smtp_password;
  bool smtp_starttls = true;
  // smtp.tls_verify: check the SMTP server's certificate (keep on outside tests).
  bool smtp_tls_verify = true;
  // smtp.pickup_dir: with smtp.host empty, every outgoing message is written into this
  // directory as an .eml file instead of being sent (`rightsdesk demo` sets <data_dir>/mail);
  // empty = not used.
  std::string smtp_pickup_dir;
  // security.master_key_file: 32 random bytes; created on first start. Default
  // <data_dir>/master.key.
  std::string master_key_file;
  // security.session_ttl_hours: console session lifetime.
  int session_ttl_hours = 12;
  // security.login_max_failures: failed logins before an account is locked (0 = never).
  int login_max_failures = 5;
  // security.login_lock_minutes: how long a locked account stays locked.
  int login_lock_minutes = 15;
  // security.login_max_failures_per_ip: failed logins per client address per lock window.
  int login_max_failures_per_ip = 20;
  // privacy_center.org_name: the organisation's name on the Privacy Center and in emails.
  std::string org_name = "Rightsdesk";
  // privacy_center.primary_color: the Privacy Center's brand colour (header, buttons), #rrggbb.
  std::string primary_color = "#1f4e79";
  // privacy_center.code_minutes: how long an emailed verification code is valid.
  int code_minutes = 30;
  // privacy_center.unverified_expiry: unverified requests close (outcome unverified) after.
  int unverified_expiry_seconds = 7 * 86400;
  // privacy_center.limit_per_address_per_hour: submissions per client address (0 = no limit).
  int limit_per_address_per_hour = 20;
  // privacy_center.limit_per_identity_per_day: submissions per email address (0 = no limit).
  int limit_per_identity_per_day = 5;
  // review.duplicate_window: review lists requests of the same email and type received within
  // this time before the request (and any after it) as possible duplicates.
  int duplicate_window_seconds = 90 * 86400;
  // workflow.vendor_reminder_after: a vendor that has not confirmed an email task is reminded
  // after this (a duration: 7d, 12h, 30m, 45s), and again after each reminder.
  int vendor_reminder_after_seconds = 7 * 86400;
  // packages.ttl: a copy package's download link works this long after the package is built
  // (a duration: 7d, 12h, 30m, 45s); then the package and its export spools are purged.
  int package_ttl_seconds = 7 * 86400;
  // workflow.vendor_max_reminders: reminders per email task (0 = none).
  int vendor_max_reminders = 3;
  // connectors.webhook_callback_timeout: a webhook task whose system answered 202 fails (for
  // an agent to retry) when no callback came within this (a duration: 7d, 12h, 30m, 45s).
  int webhook_callback_timeout_seconds = 7 * 86400;
  // discovery.min_unknown_messages: a sender domain not in the catalog becomes a discovery
  // finding from this many messages in one mailbox import.
  int discovery_min_unknown_messages = 3;
  // scan.sample_rows: rows a data-source scan samples per table.
  int scan_sample_rows = 1000;
  // scan.phone_region: the region (ISO 3166, e.g. US, GB, DE) phone numbers written without a
  // country code are read in.
  std::string scan_phone_region = "US";
  // log.level: debug, info, warn or error.
  std::string log_level = "info";

  // The effective database URL (database.url or the SQLite default).
  std::string DatabaseUrl() const;
  // The effective public URL, without a trailing slash.
  std::string PublicUrl() const;
  // The effective master key path.
  std::string MasterKeyFile() const;
};

// Builds the configuration: defaults, then the YAML file at `file` (if not empty), then
// environment variables from `env` (RIGHTSDESK_*), then `flags` (key → value, same keys).
// Errors (kInvalidArgument) name the key and say what is allowed; unknown keys are errors.
[[nodiscard]] core::Result<Config> LoadConfig(const std::string& file,
                                              const std::map<std::string, std::string>& env,
                                              const std::map<std::string, std::string>& flags);

// The process environment as a map (only RIGHTSDESK_* variables).
std::map<std::string, std::string> ProcessEnvironment();

// Every known key, for docs and error messages.
const std::vector<std::string>& ConfigKeys();

}  // namespace rd::app
