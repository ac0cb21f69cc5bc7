#pragma once

#include <atomic>
#include <cstdint>

namespace rd::core {

// A process-wide count of changes to the settings that hot paths keep in memory (request types,
// email templates). A cache remembers the count it loaded at and reloads once it has moved, so
// a change made in this process shows at once; one made by another process shows when the
// cache's time runs out.
inline std::atomic<std::uint64_t> settings_version{0};

inline std::uint64_t SettingsVersion() { return settings_version.load(std::memory_order_acquire); }
inline void SettingsChanged() { settings_version.fetch_add(1, std::memory_order_acq_rel); }

}  // namespace rd::core
