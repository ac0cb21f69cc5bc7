// The `rightsdesk` command: one subcommand per operation, each on the same configuration.
#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App cli{"Rightsdesk: receive, verify, fulfil and prove privacy requests"};
  cli.require_subcommand(1);
  rd::cli::CommonOptions common;
  std::string listen, data_dir, database;

  // Every command that touches the store takes the same options.
  auto add_common = [&](CLI::App* cmd) {
    cmd->add_option("--config", common.config_file, "YAML configuration file");
    cmd->add_option("--data-dir", data_dir, "data directory (default ./data)");
    cmd->add_option("--database", database,
                    "database URL: sqlite:///path.db or postgresql://user:pass@host:port/db");
  };

  auto* serve = cli.add_subcommand("serve", "serve the console, the Privacy Center and the API");
  add_common(serve);
  serve->add_option("--listen", listen, "HOST:PORT (default 127.0.0.1:8080)");

  auto* demo = cli.add_subcommand(
      "demo", "set up a demo shop, data sources and requests (once), then serve like serve");
  add_common(demo);
  demo->add_option("--listen", listen, "HOST:PORT (default 127.0.0.1:8080)");

  auto* worker = cli.add_subcommand(
      "worker", "run background jobs only (more processes on one PostgreSQL database)");
  add_common(worker);

  auto* migrate = cli.add_subcommand("migrate", "create or upgrade the database schema");
  add_common(migrate);

  auto* user = cli.add_subcommand("user", "manage console users");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "create a user");
  std::string email, role;
  bool password_stdin = false;
  user_add->add_option("EMAIL", email, "the user's email address")->required();
  user_add->add_option("--role", role, "admin, agent or viewer")->required();
  user_add->add_flag("--password-stdin", password_stdin, "read the password from standard input");
  add_common(user_add);

  auto* audit = cli.add_subcommand("audit", "check and export the audit log");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "recompute the hash chain; exit 1 if broken");
  add_common(verify);
  auto* exp = audit->add_subcommand("export", "write every audit event to standard output");
  std::string format = "json";
  exp->add_option("--format", format, "json (one event per line) or csv");
  add_common(exp);

  auto* discover = cli.add_subcommand("discover", "find systems the company uses; store findings");
  discover->require_subcommand(1);
  std::string discover_path;
  auto* disc_mailbox = discover->add_subcommand(
      "mailbox", "read a mailbox export's headers: an mbox, .eml, zip, folder of .eml or Maildir");
  auto* disc_sso = discover->add_subcommand("sso", "read an Okta or Google Workspace app CSV");
  auto* disc_dns = discover->add_subcommand("dns", "read DNS TXT/SPF records pasted into a file");
  for (auto* cmd : {disc_mailbox, disc_sso, disc_dns}) {
    cmd->add_option("PATH", discover_path, "the export (\"-\": standard input for sso and dns)")
        ->required();
    add_common(cmd);
  }
  auto* catalog = cli.add_subcommand("catalog", "search and extend the catalog of known systems");
  catalog->require_subcommand(1);
  auto* catalog_search = catalog->add_subcommand("search", "list catalog entries as a table");
  std::string catalog_q, catalog_category;
  catalog_search->add_option("Q", catalog_q, "text in the name, key or a domain (empty: all)");
  catalog_search->add_option("--category", catalog_category, "only this category (e.g. crm)");
  add_common(catalog_search);
  auto* catalog_import = catalog->add_subcommand(
      "import", "add companies from the community database's JSON files to a local catalog");
  std::string import_dir, import_out;
  catalog_import->add_option("DIR", import_dir, "directory of company JSON files")->required();
  catalog_import->add_option("--out", import_out, "local catalog file to write or merge into")
      ->required();
  add_common(catalog_import);
  auto* scan = cli.add_subcommand(
      "scan", "find personal data in a database or a file and propose a Fides dataset");
  rd::cli::ScanOptions scan_options;
  scan->add_option("SOURCE", scan_options.source,
                   "sqlite:///path.db, postgresql://..., mysql://... or a CSV/JSON lines/text file")
      ->required();
  scan->add_option("--sample", scan_options.sample_rows, "rows sampled per table (default 1000)")
      ->check(CLI::Range(1, 100000));
  scan->add_option("--dataset-out", scan_options.dataset_out,
                   "write the proposed Fides dataset YAML to this file");
  scan->add_option("--phone-region", scan_options.phone_region,
                   "region for phone numbers without a country code (default US)");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = cli.exit(e);
    return code == 0 ? 0 : rd::cli::kExitUsage;
  }
  if (!listen.empty()) common.flags["server.listen"] = listen;
  if (!data_dir.empty()) common.flags["data_dir"] = data_dir;
  if (!database.empty()) common.flags["database.url"] = database;

  if (serve->parsed()) return rd::cli::RunServe(common);
  if (demo->parsed()) return rd::cli::RunDemo(common);
  if (worker->parsed()) return rd::cli::RunWorker(common);
  if (migrate->parsed()) return rd::cli::RunMigrate(common);
  if (user_add->parsed()) return rd::cli::RunUserAdd(common, email, role, password_stdin);
  if (verify->parsed()) return rd::cli::RunAuditVerify(common);
  if (exp->parsed()) return rd::cli::RunAuditExport(common, format);
  if (disc_mailbox->parsed()) return rd::cli::RunDiscover(common, "mailbox", discover_path);
  if (disc_sso->parsed()) return rd::cli::RunDiscover(common, "sso", discover_path);
  if (disc_dns->parsed()) return rd::cli::RunDiscover(common, "dns", discover_path);
  if (catalog_search->parsed()) {
    return rd::cli::RunCatalogSearch(common, catalog_q, catalog_category);
  }
  if (catalog_import->parsed()) return rd::cli::RunCatalogImport(common, import_dir, import_out);
  if (scan->parsed()) return rd::cli::RunScan(scan_options);
  return rd::cli::kExitUsage;
}
