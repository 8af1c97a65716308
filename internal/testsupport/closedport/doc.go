// Package closedport gives tests a loopback address where nothing answers: a connection to it
// is refused at once, as to a service that is down.
package closedport
