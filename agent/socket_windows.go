package agent

// checkPrivateDir: on Windows the directory lives in the user's own profile, whose access
// list already keeps other users out; a link in its place is refused all the same.
func checkPrivateDir(dir string) error { return isRealDir(dir) }
