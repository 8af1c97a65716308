//go:build !windows

package fleet

// SearchDomains are the DNS search domains the network gave this computer.
func SearchDomains() []string {
	data, err := readLimited("/etc/resolv.conf", 64<<10)
	if err != nil {
		return nil
	}
	return searchDomainsIn(string(data))
}
