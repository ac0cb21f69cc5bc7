#pragma once

#include <string>
#include <vector>

#include "connectors/dataset.h"
#include "core/result.h"

namespace rd::connectors {

// Where a search starts: rows of `collection` whose `field` equals the subject's `identity`.
struct Seed {
  std::string collection;
  std::string field;
  std::string identity;
};

// Values of from_collection.from_field find rows of to_collection where to_field equals them.
struct Edge {
  std::string from_collection;
  std::string from_field;
  std::string to_collection;
  std::string to_field;
};

// How a dataset is walked, computed without a database (PlanTraversal).
struct TraversalPlan {
  std::vector<Seed> seeds;
  std::vector<Edge> edges;  // each reference as one or two directed edges
  // Every collection, in the order a breadth-first walk from the seeds reaches it.
  std::vector<std::string> reachable;
  // Every collection in the order erasure touches them: a collection holding a reference
  // before the collection it references (children before parents, as foreign keys need),
  // and after the collections its erase_after names. Reference cycles are broken in document
  // order.
  std::vector<std::string> erase_order;
  // Per collection (same order as the dataset), the fields whose values are join keys.
  std::vector<std::pair<std::string, std::vector<std::string>>> join_fields;

  bool IsJoinField(const std::string& collection, const std::string& field) const;
};

// Plans the walk: seeds from the identity fields, edges from the references (direction
// "from": referenced → referencing; "to": referencing → referenced; none: both), reachability
// by breadth-first search (cycles are visited once) and the erase order. kInvalidArgument
// when a collection cannot be reached from any identity field
// ("collections[tickets]: no path from any identity field ..."), when the dataset has no
// identity field, or when erase_after forms a cycle.
[[nodiscard]] core::Result<TraversalPlan> PlanTraversal(const Dataset& ds);

}  // namespace rd::connectors
