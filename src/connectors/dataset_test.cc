#include "connectors/dataset.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "connectors/registry.h"
#include "connectors/traversal.h"

namespace rd::connectors {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The postgres_example_test_dataset of Fides (excerpt, unchanged): references in both
// directions, True as YAML 1.1 spells it, a nested document field.
constexpr const char* kFidesExample = R"(
dataset:
  - fides_key: postgres_example_test_dataset
    name: Postgres Example Test Dataset
    description: Example of a Postgres dataset containing a variety of related tables
    collections:
      - name: address
        fields:
          - name: city
            data_categories: [user.contact.address.city]
          - name: id
            data_categories: [system.operations]
            fides_meta:
              primary_key: True
          - name: street
            data_categories: [user.contact.address.street]
            fidesops_meta:
              data_type: string
      - name: customer
        fields:
          - name: address_id
            data_categories: [system.operations]
            fides_meta:
              references:
                - dataset: postgres_example_test_dataset
                  field: address.id
                  direction: to
          - name: email
            data_categories: [user.contact.email]
            fides_meta:
              identity: email
              data_type: string
          - name: id
            data_categories: [user.unique_id]
            fides_meta:
              primary_key: True
          - name: profile
            fides_meta:
              data_type: object
            fields:
              - name: nickname
                data_categories: [user.name]
      - name: login
        fides_meta:
          erase_after: [postgres_example_test_dataset.customer]
        fields:
          - name: customer_id
            data_categories: [user.unique_id]
            fides_meta:
              references:
                - dataset: postgres_example_test_dataset
                  field: customer.id
                  direction: from
          - name: id
            data_categories: [system.operations]
            fides_meta:
              primary_key: True
          - name: time
            data_categories: [user.sensor]
)";

std::size_t At(const std::vector<std::string>& v, const std::string& name) {
  return static_cast<std::size_t>(std::find(v.begin(), v.end(), name) - v.begin());
}

std::string ErrorOf(const std::string& yaml) {
  auto ds = LoadDataset(yaml);
  EXPECT_FALSE(ds) << "loaded: " << yaml;
  if (ds) return "";
  EXPECT_EQ(ds.error().code, core::Errc::kInvalidArgument);
  return ds.error().message;
}

// kFidesExample with `from` replaced by `to`.
std::string Replace(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

TEST(FidesDataset, TheFidesExampleLoadsUnchanged) {
  auto ds = LoadDataset(kFidesExample);
  ASSERT_TRUE(ds) << ds.error().message;
  EXPECT_EQ(ds->fides_key, "postgres_example_test_dataset");
  ASSERT_EQ(ds->collections.size(), 3u);
  const Collection& customer = ds->collections[1];
  EXPECT_EQ(customer.FindField("email")->identity, "email");
  EXPECT_TRUE(customer.FindField("id")->primary_key);
  ASSERT_NE(customer.FindField("profile.nickname"), nullptr);
  EXPECT_TRUE(customer.FindField("profile.nickname")->nested);
  const Reference& ref = customer.FindField("address_id")->references.at(0);
  EXPECT_EQ((std::vector<std::string>{ref.dataset, ref.collection, ref.field, ref.direction}),
            (std::vector<std::string>{"postgres_example_test_dataset", "address", "id", "to"}));
  EXPECT_EQ(ds->collections[2].erase_after,
            std::vector<std::string>{"postgres_example_test_dataset.customer"});
  EXPECT_EQ(ds->collections[0].FindField("street")->data_type, "string");  // fidesops_meta
}

TEST(TraversalPlanner, FollowsReferencesInTheirDirectionFromTheIdentities) {
  auto ds = LoadDataset(kFidesExample);
  ASSERT_TRUE(ds);
  auto plan = PlanTraversal(*ds);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->seeds.size(), 1u);
  EXPECT_EQ(plan->seeds[0].collection, "customer");
  EXPECT_EQ(plan->reachable, (std::vector<std::string>{"customer", "address", "login"}));
  // customer.address_id → address.id ("to"); customer.id → login.customer_id ("from").
  ASSERT_EQ(plan->edges.size(), 2u);
  EXPECT_EQ(plan->edges[0].from_collection + "." + plan->edges[0].from_field + ">" +
                plan->edges[0].to_collection + "." + plan->edges[0].to_field,
            "customer.address_id>address.id");
  EXPECT_EQ(plan->edges[1].from_collection + "." + plan->edges[1].from_field + ">" +
                plan->edges[1].to_collection + "." + plan->edges[1].to_field,
            "customer.id>login.customer_id");
  EXPECT_TRUE(plan->IsJoinField("customer", "address_id"));
  EXPECT_TRUE(plan->IsJoinField("address", "id"));
  EXPECT_FALSE(plan->IsJoinField("customer", "email"));
  // customer holds the reference to address: customer first. login names erase_after
  // customer, so it comes after customer although it references it.
  const auto& order = plan->erase_order;
  EXPECT_LT(At(order, "customer"), At(order, "address"));
  EXPECT_LT(At(order, "customer"), At(order, "login"));
}

TEST(TraversalPlanner, AReferenceWithoutDirectionGoesBothWays) {
  std::string yaml = Replace(kFidesExample, "                  direction: from\n", "");
  auto ds = LoadDataset(yaml);
  ASSERT_TRUE(ds) << ds.error().message;
  auto plan = PlanTraversal(*ds);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->edges.size(), 3u);
}

TEST(TraversalPlanner, ACollectionOnlyReachableAgainstTheDirectionIsAnError) {
  // login.customer_id "to" customer.id: login's values would find customers, but nothing
  // finds login.
  std::string yaml = Replace(kFidesExample, "direction: from", "direction: to");
  EXPECT_EQ(ErrorOf(yaml),
            "collections[login]: no path from any identity field (add fides_meta.identity to one "
            "of its fields or a reference that leads to it)");
}

TEST(TraversalPlanner, CyclesAreWalkedOnceAndBrokenForErasure) {
  auto ds = LoadDataset(ReadFile(RD_SHOP_FIXTURES "/dataset.yml"));
  ASSERT_TRUE(ds) << ds.error().message;
  auto plan = PlanTraversal(*ds);
  ASSERT_TRUE(plan);
  // customers → addresses, customers → orders → addresses: a cycle through addresses.
  EXPECT_EQ(plan->reachable.size(), 6u);
  const auto& order = plan->erase_order;
  ASSERT_EQ(order.size(), 6u);
  EXPECT_LT(At(order, "order_items"), At(order, "orders"));
  EXPECT_LT(At(order, "orders"), At(order, "addresses"));
  EXPECT_LT(At(order, "addresses"), At(order, "customers"));
  EXPECT_LT(At(order, "newsletter"), At(order, "tickets"));  // erase_after

  // Two collections referencing each other: both are still planned.
  std::string yaml = R"(
dataset:
  - fides_key: loop
    collections:
      - name: a
        fields:
          - name: id
            fides_meta: {primary_key: true, identity: email}
          - name: b_id
            fides_meta:
              references: [{dataset: loop, field: b.id}]
      - name: b
        fields:
          - name: id
            fides_meta: {primary_key: true}
          - name: a_id
            fides_meta:
              references: [{dataset: loop, field: a.id}]
)";
  auto loop = LoadDataset(yaml);
  ASSERT_TRUE(loop) << loop.error().message;
  auto p = PlanTraversal(*loop);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->erase_order, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(p->reachable, (std::vector<std::string>{"a", "b"}));
}

TEST(FidesDataset, ErrorsNameThePlace) {
  EXPECT_EQ(ErrorOf(Replace(kFidesExample, "field: customer.id", "field: customers.id")),
            "collections[login].fields[customer_id].fides_meta.references[0].field: no "
            "collection 'customers'");
  EXPECT_EQ(ErrorOf(Replace(kFidesExample, "field: address.id", "field: address.uid")),
            "collections[customer].fields[address_id].fides_meta.references[0].field: no field "
            "'uid' in collection 'address'");
  EXPECT_EQ(ErrorOf(Replace(kFidesExample, "field: address.id", "field: address")),
            "collections[customer].fields[address_id].fides_meta.references[0].field: must be "
            "\"collection.field\"");
  EXPECT_EQ(ErrorOf(Replace(kFidesExample, "direction: to", "direction: sideways")),
            "collections[customer].fields[address_id].fides_meta.references[0].direction: must "
            "be from or to");
  EXPECT_EQ(ErrorOf(Replace(
                kFidesExample,
                "- dataset: postgres_example_test_dataset\n                  field: address.id",
                "- dataset: elsewhere\n                  field: address.id")),
            "collections[customer].fields[address_id].fides_meta.references[0].dataset: no "
            "dataset 'elsewhere' (references stay within 'postgres_example_test_dataset')");
  EXPECT_EQ(ErrorOf(Replace(kFidesExample, "- name: city", "- name: city; DROP TABLE x")),
            "collections[address].fields[0].name: 'city; DROP TABLE x' is not an identifier "
            "([A-Za-z_][A-Za-z0-9_]*)");
  EXPECT_EQ(ErrorOf(Replace(kFidesExample, "primary_key: True", "primary_key: maybe")),
            "collections[address].fields[id].fides_meta.primary_key: must be true or false");
  EXPECT_EQ(ErrorOf(Replace(kFidesExample, "erase_after: [postgres_example_test_dataset.customer]",
                            "erase_after: [postgres_example_test_dataset.client]")),
            "collections[login].fides_meta.erase_after[0]: no collection "
            "'postgres_example_test_dataset.client' in dataset 'postgres_example_test_dataset'");
  EXPECT_EQ(ErrorOf(Replace(kFidesExample, "identity: email", "data_type: string")),
            "collections: no field is an identity (fides_meta.identity, e.g. email), so nothing "
            "can be found for a subject");
  EXPECT_EQ(ErrorOf("dataset: [\n"),
            "dataset: not valid YAML (line 2, column 1): end of sequence flow not found");
  EXPECT_EQ(ErrorOf("collections: []"),
            "dataset: a Fides dataset YAML (\"dataset:\" with a list of datasets)");
  EXPECT_EQ(ErrorOf("dataset:\n  - fides_key: x\n    collections: []\n"),
            "collections: required, a list of collections");
}

TEST(FidesDataset, AnEraseAfterCycleIsAnError) {
  std::string yaml = Replace(kFidesExample, "      - name: customer\n        fields:",
                             "      - name: customer\n        fides_meta:\n          erase_after: "
                             "[postgres_example_test_dataset.login]\n        fields:");
  EXPECT_EQ(ErrorOf(yaml), "collections: erase_after creates a cycle between customer, login");
}

TEST(FidesDataset, MaskingOverrideAndOptOutAreRead) {
  auto ds = LoadDataset(ReadFile(RD_SHOP_FIXTURES "/dataset.yml"));
  ASSERT_TRUE(ds) << ds.error().message;
  EXPECT_TRUE(ds->FindCollection("order_items")->delete_rows);
  EXPECT_FALSE(ds->FindCollection("orders")->delete_rows);
  ASSERT_TRUE(ds->FindCollection("newsletter")->opt_out);
  EXPECT_EQ(ds->FindCollection("newsletter")->opt_out->field, "subscribed");
  EXPECT_EQ(ds->FindCollection("newsletter")->opt_out->value, "false");
  std::string bad =
      Replace(ReadFile(RD_SHOP_FIXTURES "/dataset.yml"), "field: subscribed", "field: subscribd");
  EXPECT_EQ(ErrorOf(bad),
            "collections[newsletter].fides_meta.rightsdesk_opt_out.field: no field 'subscribd' "
            "in 'newsletter'");
  bad = Replace(ReadFile(RD_SHOP_FIXTURES "/dataset.yml"), "strategy: delete", "strategy: hash");
  EXPECT_EQ(ErrorOf(bad),
            "collections[order_items].fides_meta.masking_strategy_override.strategy: only delete "
            "is supported on a collection");
}

TEST(Identifiers, OnlyPlainNamesAreIdentifiers) {
  EXPECT_TRUE(IsIdentifier("order_items"));
  EXPECT_TRUE(IsIdentifier("_x1"));
  EXPECT_FALSE(IsIdentifier("1x"));
  EXPECT_FALSE(IsIdentifier("a-b"));
  EXPECT_FALSE(IsIdentifier("a\"b"));
  EXPECT_FALSE(IsIdentifier("a`b"));
  EXPECT_FALSE(IsIdentifier(""));
  EXPECT_FALSE(IsIdentifier(std::string(64, 'a')));
}

// The erasure policy a mapping's categories are masked by.
TEST(ErasurePolicy, TheLongestCategoryPrefixWins) {
  auto p = ParseErasurePolicy(
      R"({"default":"hash","categories":{"user.contact":"null","user.contact.email":"hmac"}})");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->For({"user.contact.email"})->kind, MaskKind::kHmac);
  EXPECT_EQ(p->For({"user.contact.phone_number"})->kind, MaskKind::kNull);
  EXPECT_EQ(p->For({"user.name"})->kind, MaskKind::kHash);
  EXPECT_FALSE(p->For({"system.operations"}));
  EXPECT_FALSE(p->For({}));
  EXPECT_EQ(p->For({"user.contactless"})->kind, MaskKind::kHash);  // a prefix is a whole step
}

}  // namespace
}  // namespace rd::connectors
