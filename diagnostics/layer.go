package diagnostics

// Layer is what a cause takes away from the user: the whole connection, only the VPN, or only
// a service. The timeline and the watcher say which, so that a dropped VPN is never told as
// "the connection has been down".
type Layer string

// The layers a cause can take away.
const (
	LayerConnection Layer = "connection"
	LayerVPN        Layer = "vpn"
	LayerService    Layer = "service"
)

// Layer is what this cause takes away. Causes below the VPN, and those that are no loss of
// their own (a slow link, the computer, its clock, none), count as the whole connection: a
// watcher that lost something it cannot place has lost the connection as far as it knows.
// A path that drops large packets outside the VPN (path_mtu) counts as the service: it was
// found on one service's path while every check below passed, so the connection works and
// saying it is down would be wrong; inside the VPN (vpn_mtu) it is the VPN's. One of the
// organisation's own checks (custom_check) counts as a service too: what it looks at is theirs.
func (c Cause) Layer() Layer {
	switch c {
	case CauseVPNDown, CauseVPNBroken, CauseVPNMTU:
		return LayerVPN
	case CauseServiceDown, CausePathMTU, CauseCustomCheck:
		return LayerService
	}
	return LayerConnection
}

// watchKeyFor is the watcher's sentence for what a cause took away: the plain key for the whole
// connection, "_vpn" or "_service" after it for the VPN or a service alone.
func watchKeyFor(key string, c Cause) string {
	switch c.Layer() {
	case LayerVPN:
		return key + "_vpn"
	case LayerService:
		return key + "_service"
	}
	return key
}
