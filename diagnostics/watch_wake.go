package diagnostics

import "time"

// A computer that wakes from sleep takes a few seconds to join its network again: the Wi-Fi
// associates, DHCP renews the address, the VPN client reconnects. Reported like any other
// failure, that would be a "connection lost" and a "restored" at every opening of a laptop's
// lid, and each would count in the fleet's losses. So a failure that begins while the computer
// rejoins, within WakeGrace of waking, counts as lost only if it lasts until WakeGrace is up.
// The OS says when it woke (systemWakes): logind's PrepareForSleep on Linux, the power
// manager's resume notification on Windows; macOS tells Apuri nothing, so there the usual
// Grace applies.

// DefaultWakeGrace is how long a computer that just woke may take to rejoin its network: Wi-Fi
// and DHCP take a few seconds, a VPN client up to fifteen.
const DefaultWakeGrace = 20 * time.Second

// wakeSlack is how much earlier than the OS's word of waking a failure may have begun and
// still be the waking's.
const wakeSlack = 5 * time.Second
