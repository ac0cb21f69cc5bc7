#include "connectors/traversal.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

namespace rd::connectors {
namespace {

using core::Errc;
using core::Fail;

// Kahn's algorithm over `before` (a → collections that must come after a), picking the first
// ready collection in document order; a cycle is broken at the first remaining collection
// when `break_cycles`, else reported by returning the collections left.
std::vector<std::string> Order(const std::vector<std::string>& names,
                               const std::map<std::string, std::set<std::string>>& before,
                               bool break_cycles, std::vector<std::string>* stuck) {
  std::map<std::string, int> indegree;
  for (const auto& n : names) indegree[n] = 0;
  for (const auto& [from, tos] : before) {
    for (const auto& to : tos) indegree[to]++;
  }
  std::vector<std::string> out;
  std::set<std::string> done;
  while (out.size() < names.size()) {
    const std::string* pick = nullptr;
    for (const auto& n : names) {
      if (!done.count(n) && indegree[n] == 0) {
        pick = &n;
        break;
      }
    }
    if (!pick) {
      if (!break_cycles) {
        for (const auto& n : names) {
          if (!done.count(n)) stuck->push_back(n);
        }
        return out;
      }
      for (const auto& n : names) {
        if (!done.count(n)) {
          pick = &n;
          break;
        }
      }
    }
    done.insert(*pick);
    out.push_back(*pick);
    if (const auto it = before.find(*pick); it != before.end()) {
      for (const auto& to : it->second) indegree[to]--;
    }
  }
  return out;
}

}  // namespace

bool TraversalPlan::IsJoinField(const std::string& collection, const std::string& field) const {
  for (const auto& [c, fields] : join_fields) {
    if (c == collection) return std::find(fields.begin(), fields.end(), field) != fields.end();
  }
  return false;
}

core::Result<TraversalPlan> PlanTraversal(const Dataset& ds) {
  TraversalPlan plan;
  std::vector<std::string> names;
  std::map<std::string, std::set<std::string>> joins;
  for (const auto& c : ds.collections) {
    names.push_back(c.name);
    for (const auto& f : c.fields) {
      if (!f.identity.empty() && !f.nested) plan.seeds.push_back({c.name, f.name, f.identity});
      for (const auto& r : f.references) {
        // "from": the referenced field's values find rows here; "to": the reverse.
        if (r.direction != "to") plan.edges.push_back({r.collection, r.field, c.name, f.name});
        if (r.direction != "from") plan.edges.push_back({c.name, f.name, r.collection, r.field});
        joins[c.name].insert(f.name);
        joins[r.collection].insert(r.field);
      }
    }
  }
  for (const auto& n : names) {
    plan.join_fields.push_back({n, {joins[n].begin(), joins[n].end()}});
  }
  if (plan.seeds.empty()) {
    return Fail(Errc::kInvalidArgument,
                "collections: no field is an identity (fides_meta.identity, e.g. email), so "
                "nothing can be found for a subject");
  }

  // Breadth-first from the seeds; a collection is visited once, so cycles end.
  std::set<std::string> seen;
  std::deque<std::string> queue;
  for (const auto& s : plan.seeds) {
    if (seen.insert(s.collection).second) queue.push_back(s.collection);
  }
  while (!queue.empty()) {
    const std::string c = queue.front();
    queue.pop_front();
    plan.reachable.push_back(c);
    for (const auto& e : plan.edges) {
      if (e.from_collection == c && seen.insert(e.to_collection).second) {
        queue.push_back(e.to_collection);
      }
    }
  }
  for (const auto& n : names) {
    if (!seen.count(n)) {
      return Fail(Errc::kInvalidArgument,
                  "collections[" + n +
                      "]: no path from any identity field (add fides_meta.identity to one of "
                      "its fields or a reference that leads to it)");
    }
  }

  // erase_after alone must not form a cycle.
  std::map<std::string, std::set<std::string>> after;
  for (const auto& c : ds.collections) {
    for (const auto& a : c.erase_after) {
      const std::string target = a.substr(a.find('.') + 1);
      if (target == c.name) {
        return Fail(Errc::kInvalidArgument,
                    "collections[" + c.name + "].fides_meta.erase_after: names itself");
      }
      after[target].insert(c.name);
    }
  }
  std::vector<std::string> stuck;
  Order(names, after, false, &stuck);
  if (!stuck.empty()) {
    std::string list;
    for (const auto& s : stuck) list += (list.empty() ? "" : ", ") + s;
    return Fail(Errc::kInvalidArgument, "collections: erase_after creates a cycle between " + list);
  }
  // The holder of a reference goes before the referenced collection (it holds the foreign
  // key), unless erase_after says otherwise.
  std::map<std::string, std::set<std::string>> before = after;
  for (const auto& c : ds.collections) {
    for (const auto& f : c.fields) {
      for (const auto& r : f.references) {
        if (r.collection == c.name) continue;
        if (after.count(r.collection) && after.at(r.collection).count(c.name)) continue;
        before[c.name].insert(r.collection);
      }
    }
  }
  plan.erase_order = Order(names, before, true, nullptr);
  return plan;
}

}  // namespace rd::connectors
