#include "core/default_templates.h"

namespace rd::core {
namespace {

constexpr const char* kSignature = "\n{{org_name}} privacy team\n";

struct Entry {
  TemplateInfo info;
  EmailTemplate text;
};

std::string Reply(const std::string& opening, const std::string& middle) {
  return "Hello{{#subject_name}} {{subject_name}}{{/subject_name}},\n\n" + opening + "\n\n" +
         middle +
         "\n\nIf you have questions about this request, reply from the request page:\n"
         "{{status_url}}\n" +
         kSignature;
}

std::vector<Entry> BuildEntries() {
  std::vector<Entry> e;
  e.push_back({{"verification",
                "Sent on submission: the 6-digit code and the link that confirm the email address.",
                {"code", "expires_minutes", "verify_url"}},
               {"{{org_name}}: confirm your privacy request {{reference}}",
                "Hello,\n\n"
                "We received a {{type_label}} request for this email address at {{org_name}}\n"
                "(reference {{reference}}).\n\n"
                "To confirm that it was you, enter this code on the request page:\n\n"
                "    {{code}}\n\n"
                "or open this link:\n\n"
                "    {{verify_url}}\n\n"
                "The code expires in {{expires_minutes}} minutes. If you did not make this "
                "request,\nignore this email: nothing happens until it is confirmed.\n\n"
                "You can follow the request here:\n{{status_url}}\n" +
                    std::string(kSignature)}});
  e.push_back({{"acknowledgement",
                "Sent on receipt of a request that needs no email confirmation (entered by an "
                "agent, or an opt-out signalled by the browser).",
                {}},
               {"{{org_name}}: we received your privacy request {{reference}}",
                "Hello{{#subject_name}} {{subject_name}}{{/subject_name}},\n\n"
                "We received your {{type_label}} request on {{received_date}} (reference "
                "{{reference}}).\nWe will answer by {{due_date}}.\n\n"
                "You can follow the request, write to us or withdraw it here:\n{{status_url}}\n" +
                    std::string(kSignature)}});
  e.push_back({{"extension",
                "Sent when an agent uses the one extension the law allows, with the reason.",
                {"reason", "previous_due_date"}},
               {"{{org_name}}: more time needed for your request {{reference}}",
                "Hello{{#subject_name}} {{subject_name}}{{/subject_name}},\n\n"
                "We need more time to complete your {{type_label}} request {{reference}}.\n"
                "Instead of {{previous_due_date}}, we will answer by {{due_date}}.\n\n"
                "The reason: {{reason}}\n\n"
                "You can follow the request here:\n{{status_url}}\n" +
                    std::string(kSignature)}});
  e.push_back({{"withdrawal", "Sent when the subject withdraws a request.", {}},
               {"{{org_name}}: your request {{reference}} is withdrawn",
                "Hello{{#subject_name}} {{subject_name}}{{/subject_name}},\n\n"
                "As you asked, we closed your {{type_label}} request {{reference}} without acting "
                "on it.\nYou can make a new request at any time.\n" +
                    std::string(kSignature)}});
  e.push_back(
      {{"agent_message", "Carries a message from the privacy team to the subject.", {"message"}},
       {"{{org_name}}: about your privacy request {{reference}}",
        "Hello{{#subject_name}} {{subject_name}}{{/subject_name}},\n\n"
        "{{message}}\n\n"
        "To answer, use the request page:\n{{status_url}}\n" +
            std::string(kSignature)}});
  e.push_back({{"vendor_request",
                "Sent to a vendor's privacy contact for an email data source: what to do, for "
                "whom, and the link to confirm completion.",
                {"source_name", "action", "identities", "corrections", "details", "confirm_url"}},
               {"{{org_name}}: privacy request {{reference}} ({{type_label}})",
                "Hello,\n\n"
                "{{org_name}} received a {{type_label}} request from a person whose data "
                "{{source_name}}\nprocesses on our behalf. Please {{action}} for:\n\n"
                "{{#identities}}    {{label}}: {{value}}\n{{/identities}}"
                "{{#corrections}}\nThe corrections requested:\n{{corrections}}\n{{/corrections}}"
                "{{#details}}\nThe request:\n{{details}}\n{{/details}}"
                "\nWe must answer the person by {{due_date}}. When it is done, please confirm "
                "here\n(no account needed):\n\n    {{confirm_url}}\n\n"
                "Reference: {{reference}}\n" +
                    std::string(kSignature)}});
  e.push_back({{"vendor_reminder",
                "Sent to a vendor that has not confirmed a request after the reminder delay.",
                {"source_name", "action", "identities", "corrections", "details", "confirm_url",
                 "sent_date"}},
               {"Reminder: {{org_name}} privacy request {{reference}} ({{type_label}})",
                "Hello,\n\n"
                "On {{sent_date}} we asked {{source_name}} to {{action}} for:\n\n"
                "{{#identities}}    {{label}}: {{value}}\n{{/identities}}"
                "{{#corrections}}\nThe corrections requested:\n{{corrections}}\n{{/corrections}}"
                "{{#details}}\nThe request:\n{{details}}\n{{/details}}"
                "\nWe have no confirmation yet, and must answer the person by {{due_date}}.\n"
                "When it is done, please confirm here:\n\n    {{confirm_url}}\n\n"
                "Reference: {{reference}}\n" +
                    std::string(kSignature)}});

  const std::vector<std::pair<std::string, std::pair<std::string, std::string>>> kTypes = {
      {"deletion",
       {"We have deleted the personal data we held about you, as you asked in your request "
        "{{reference}}.",
        "We have deleted the personal data we held about you where the law allows. Some data we "
        "must keep (for example for tax or legal obligations); it is kept only for that "
        "purpose and deleted when that obligation ends."}},
      {"copy",
       {"Your request {{reference}} for a copy of your personal data is complete.",
        "Your request {{reference}} for a copy of your personal data is complete for the "
        "systems we could collect from; some data could not be included, as explained below."}},
      {"do_not_sell",
       {"We have recorded your choice: we no longer sell or share your personal data "
        "(request {{reference}}).",
        "We have recorded your choice to opt out of the sale and sharing of your personal data "
        "(request {{reference}}) in the systems we control; some partners may take a few more "
        "days to apply it."}},
      {"do_not_mail",
       {"We have removed you from our marketing mail and email (request {{reference}}). Your "
        "address is on our suppression list, so future campaigns skip it.",
        "We have removed you from our marketing mail and email (request {{reference}}) in the "
        "systems we control; some mailings already in preparation may still reach you."}},
      {"right_to_edit",
       {"We have corrected your personal data as you asked in your request {{reference}}.",
        "We have corrected your personal data as you asked in your request {{reference}} "
        "where we could; some corrections could not be made, as explained below."}},
      {"custom",
       {"We have completed your {{type_label}} request {{reference}}.",
        "We have completed your {{type_label}} request {{reference}} in part, as explained "
        "below."}},
  };
  // A copy's reply carries the download link of its package, when there is one.
  const std::string kPackageLink =
      "{{#package_url}}\n\nYou can download a copy of your data (a zip file with a page to "
      "read, JSON and CSV files) until {{package_expires}}:\n{{package_url}}{{/package_url}}";
  for (const auto& [type, texts] : kTypes) {
    const bool copy = type == "copy";
    const std::vector<std::string> vars =
        copy ? std::vector<std::string>{"package_url", "package_expires"}
             : std::vector<std::string>{};
    const std::string link = copy ? kPackageLink : "";
    e.push_back({{"reply." + type + ".fulfilled",
                  "The reply that closes a fulfilled " + type + " request.", vars},
                 {"{{org_name}}: your {{type_label}} request {{reference}} is complete",
                  Reply(texts.first + link, "Thank you for your patience.")}});
    e.push_back({{"reply." + type + ".partially_fulfilled",
                  "The reply that closes a partially fulfilled " + type + " request.", vars},
                 {"{{org_name}}: your {{type_label}} request {{reference}}",
                  Reply(texts.second + link, "[Explain what could not be done, and why.]")}});
  }

  const std::vector<std::pair<std::string, std::string>> kReasons = {
      {"insufficient_verification",
       "We could not confirm that the request was made by the person the data is about, or "
       "by someone allowed to act for them. If you send us the information we asked for, we "
       "will look at it again."},
      {"no_match", "We searched our systems and found no personal data about you."},
      {"not_covered",
       "The request is not one the law gives a right to in this case, so we cannot act on it."},
      {"outside_jurisdiction",
       "The privacy law you referred to does not apply to the data we hold about you."},
      {"too_many_requests",
       "We have answered the same request from you recently; the law allows us to decline "
       "repeated requests within this period."},
      {"suspected_fraud",
       "We could not act on this request because we could not confirm it was genuine."},
      {"other", "[Explain why the request cannot be fulfilled.]"},
  };
  for (const auto& [reason, text] : kReasons) {
    e.push_back({{"reply.rejected." + reason,
                  "The reply to a request rejected as " + reason + ".",
                  {"note"}},
                 {"{{org_name}}: your {{type_label}} request {{reference}}",
                  Reply("We have reviewed your {{type_label}} request {{reference}} and cannot "
                        "fulfil it.",
                        text + "\n\nIf you disagree, you may contact your data protection "
                               "authority.")}});
  }
  return e;
}

const std::vector<Entry>& Entries() {
  static const std::vector<Entry> kEntries = BuildEntries();
  return kEntries;
}

}  // namespace

const std::vector<TemplateInfo>& TemplateCatalog() {
  static const std::vector<TemplateInfo> kCatalog = [] {
    std::vector<TemplateInfo> out;
    for (const auto& e : Entries()) out.push_back(e.info);
    return out;
  }();
  return kCatalog;
}

std::optional<EmailTemplate> DefaultTemplate(std::string_view key) {
  for (const auto& e : Entries()) {
    if (e.info.key == key) return e.text;
  }
  return std::nullopt;
}

std::string ReplyTemplateKey(std::string_view type_key, bool custom, std::string_view outcome,
                             std::string_view rejection_reason) {
  if (outcome == "rejected") {
    return "reply.rejected." + std::string(rejection_reason.empty() ? "other" : rejection_reason);
  }
  return "reply." + std::string(custom ? "custom" : type_key) + "." +
         std::string(outcome == "partially_fulfilled" ? "partially_fulfilled" : "fulfilled");
}

}  // namespace rd::core
