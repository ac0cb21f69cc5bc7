#include "core/vendor_email.h"

#include "core/links.h"

namespace rd::core {
namespace {

void SkipSpace(std::string_view s, std::size_t& i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) ++i;
}

void AppendUtf8(std::uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool ReadHex4(std::string_view s, std::size_t i, std::uint32_t* v) {
  if (i + 4 > s.size()) return false;
  *v = 0;
  for (std::size_t k = i; k < i + 4; ++k) {
    const char c = s[k];
    const int d = c >= '0' && c <= '9'   ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                         : -1;
    if (d < 0) return false;
    *v = *v * 16 + static_cast<std::uint32_t>(d);
  }
  return true;
}

// Reads the JSON string literal starting at s[i] (a '"'), leaving i after it.
bool ReadString(std::string_view s, std::size_t& i, std::string* out) {
  if (i >= s.size() || s[i] != '"') return false;
  for (++i; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '"') {
      ++i;
      return true;
    }
    if (c != '\\') {
      out->push_back(c);
      continue;
    }
    if (++i >= s.size()) return false;
    switch (s[i]) {
      case 'n':
        out->push_back('\n');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'u': {
        std::uint32_t cp = 0;
        if (!ReadHex4(s, i + 1, &cp)) return false;
        i += 4;
        std::uint32_t low = 0;
        if (cp >= 0xD800 && cp < 0xDC00 && i + 2 < s.size() && s[i + 1] == '\\' &&
            s[i + 2] == 'u' && ReadHex4(s, i + 3, &low) && low >= 0xDC00 && low < 0xE000) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          i += 6;
        }
        AppendUtf8(cp, out);
        break;
      }
      default:  // '"', '\\', '/'
        out->push_back(s[i]);
    }
  }
  return false;
}

}  // namespace

std::string VendorAction(const PrivacyRequest& q) {
  switch (q.type) {
    case RequestType::kDeletion:
      return "delete all personal data you hold about this person";
    case RequestType::kCopy:
      return "send us a copy of all personal data you hold about this person";
    case RequestType::kDoNotSell:
      return "stop selling or sharing this person's personal data";
    case RequestType::kDoNotMail:
      return "stop sending marketing messages to this person and suppress their contact details "
             "from your mailing lists";
    case RequestType::kRightToEdit:
      return "correct the personal data you hold about this person as listed below";
    case RequestType::kCustom:
      break;
  }
  return "act on the request described below";
}

std::string CorrectionsText(const std::string& corrections_json) {
  const std::string_view s = corrections_json;
  std::size_t i = 0;
  SkipSpace(s, i);
  if (i < s.size() && s[i] == '"') {
    std::string text;
    if (ReadString(s, i, &text)) return text;
    return corrections_json;
  }
  if (i >= s.size() || s[i] != '{') return corrections_json;
  std::string out;
  ++i;
  for (;;) {
    SkipSpace(s, i);
    if (i < s.size() && s[i] == '}') return out;
    std::string field;
    std::string value;
    if (!ReadString(s, i, &field)) return corrections_json;
    SkipSpace(s, i);
    if (i >= s.size() || s[i] != ':') return corrections_json;
    ++i;
    SkipSpace(s, i);
    if (!ReadString(s, i, &value)) return corrections_json;
    out += out.empty() ? "    " : "\n    ";
    out += field;
    out += ": ";
    out += value;
    SkipSpace(s, i);
    if (i < s.size() && s[i] == ',') ++i;
  }
}

std::string VendorConfirmUrl(const OrgInfo& org, const Crypto& crypto, const std::string& task_id) {
  return org.public_url + "/vendor/tasks/" + task_id + "?token=" + VendorToken(crypto, task_id);
}

TemplateData VendorEmailData(const TemplateService& templates, const Crypto& crypto,
                             const PrivacyRequest& q, const Task& task) {
  TemplateData data = templates.RequestData(q);
  data.values["source_name"] = task.source_name;
  data.values["action"] = VendorAction(q);
  data.values["corrections"] = q.corrections.empty() ? "" : CorrectionsText(q.corrections);
  data.values["details"] = q.type == RequestType::kCustom ? q.details : "";
  data.values["confirm_url"] = VendorConfirmUrl(templates.org(), crypto, task.id);
  data.values["sent_date"] = FormatDate(task.created_at);
  auto& identities = data.lists["identities"];
  identities.push_back({{"label", "Email"}, {"value", q.subject.email}});
  if (!q.subject.name.empty()) identities.push_back({{"label", "Name"}, {"value", q.subject.name}});
  if (!q.subject.phone.empty()) {
    identities.push_back({{"label", "Phone"}, {"value", q.subject.phone}});
  }
  return data;
}

}  // namespace rd::core
