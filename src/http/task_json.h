#pragma once

#include <vector>

#include "core/store.h"
#include "http/json_writer.h"

namespace rd::http {

// One task as the API shows it: id, data_source_id, source_name, process, status,
// instructions, contact_email, note, result (JSON), completed_by, completed_at, reminders,
// created_at, updated_at.
void WriteTask(JsonWriter& w, const core::Task& t);

// The Process part of a request's detail (GET /api/v1/requests/{id}): "tasks" and "prescan"
// ([{data_source_id, found, collections:{name: rows}, error, scanned_at}]: where the
// integrations' pre-scan found the identity), written as keys of the open request object.
void WriteProcessDetail(JsonWriter& w, const std::vector<core::Task>& tasks,
                        const std::vector<core::PrescanEntry>& prescan = {});

}  // namespace rd::http
