#pragma once

// libphonenumber's compiled-in metadata (a serialized PhoneMetadataCollection), exported by the
// library but declared in no public header.
namespace i18n::phonenumbers {
int metadata_size();
const void* metadata_get();
}  // namespace i18n::phonenumbers
