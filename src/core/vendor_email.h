#pragma once

#include <string>

#include "core/crypto.h"
#include "core/privacy_request.h"
#include "core/store.h"
#include "core/template_service.h"

namespace rd::core {

// The email an email data source's vendor receives ("vendor_request", and "vendor_reminder"
// until they confirm), PRODUCT.md §3 "Email integration".

// What the vendor is asked to do, as the words after "Please ": "delete all personal data you
// hold about this person", ...
std::string VendorAction(const PrivacyRequest& q);

// The corrections of a right_to_edit request as text: the free text as written, or one
// "    field: value" line per corrected field. `corrections_json` is the stored JSON text (a
// string, or an object of field to corrected value); anything else is shown as it is.
std::string CorrectionsText(const std::string& corrections_json);

// The vendor's confirmation link for task `task_id`: <public_url>/vendor/tasks/<id>?token=...
std::string VendorConfirmUrl(const OrgInfo& org, const Crypto& crypto, const std::string& task_id);

// The values of the vendor templates: the request's own (TemplateService::RequestData) plus
// source_name, action, identities [{label, value}] (email, and name and phone when given),
// corrections (right_to_edit), details (custom rights: what the subject asked), confirm_url
// and sent_date (when the task was created).
TemplateData VendorEmailData(const TemplateService& templates, const Crypto& crypto,
                             const PrivacyRequest& q, const Task& task);

}  // namespace rd::core
