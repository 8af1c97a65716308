//go:build linux

package e2e_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/png"
	"strings"
	"sync"
	"testing"

	"github.com/apuri-project/apuri/assets"
	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/prop"
)

// watcher is a StatusNotifierWatcher written for the test: the part of a desktop's panel that
// tray icons register with.
type watcher struct {
	conn  *dbus.Conn
	props *prop.Properties

	mu      sync.Mutex
	items   []string
	changed chan struct{} // closed and replaced on each registration
}

const (
	watcherName  = "org.kde.StatusNotifierWatcher"
	watcherPath  = dbus.ObjectPath("/StatusNotifierWatcher")
	watcherIface = "org.kde.StatusNotifierWatcher"
	itemIface    = "org.kde.StatusNotifierItem"
	menuIface    = "com.canonical.dbusmenu"
)

// watcherMethods holds only what is callable on the bus.
type watcherMethods struct{ w *watcher }

func (m watcherMethods) RegisterStatusNotifierItem(sender dbus.Sender, service string) *dbus.Error {
	w := m.w
	// An item names itself by object path (on the caller's connection) or by bus name.
	item := service
	if strings.HasPrefix(service, "/") {
		item = string(sender) + service
	}
	w.mu.Lock()
	w.items = append(w.items, item)
	items := append([]string(nil), w.items...)
	close(w.changed)
	w.changed = make(chan struct{})
	w.mu.Unlock()
	w.props.SetMust(watcherIface, "RegisteredStatusNotifierItems", items)
	if err := w.conn.Emit(watcherPath, watcherIface+".StatusNotifierItemRegistered", item); err != nil {
		return dbus.MakeFailedError(err)
	}
	return nil
}

func (m watcherMethods) RegisterStatusNotifierHost(string) *dbus.Error { return nil }

// startWatcher puts the watcher on the bus.
func startWatcher(tb testing.TB, conn *dbus.Conn) *watcher {
	tb.Helper()
	w := &watcher{conn: conn, changed: make(chan struct{})}
	if err := conn.Export(watcherMethods{w}, watcherPath, watcherIface); err != nil {
		tb.Fatal(err)
	}
	props, err := prop.Export(conn, watcherPath, prop.Map{watcherIface: {
		"RegisteredStatusNotifierItems":  {Value: []string{}, Emit: prop.EmitTrue},
		"IsStatusNotifierHostRegistered": {Value: true, Emit: prop.EmitTrue},
		"ProtocolVersion":                {Value: int32(0), Emit: prop.EmitTrue},
	}})
	if err != nil {
		tb.Fatal(err)
	}
	w.props = props
	if reply, err := conn.RequestName(watcherName, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		tb.Fatalf("take %s: %v %v", watcherName, reply, err)
	}
	return w
}

// waitItem waits for the n-th registration and returns that item's bus name and path.
func (w *watcher) waitItem(ctx context.Context, n int) (string, dbus.ObjectPath, error) {
	for {
		w.mu.Lock()
		if len(w.items) >= n {
			item := w.items[n-1]
			w.mu.Unlock()
			i := strings.Index(item, "/")
			if i < 0 {
				return item, "/StatusNotifierItem", nil
			}
			return item[:i], dbus.ObjectPath(item[i:]), nil
		}
		changed := w.changed
		w.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return "", "", fmt.Errorf("no tray item registered: %w", ctx.Err())
		}
	}
}

// menuNode is one item of a com.canonical.dbusmenu layout.
type menuNode struct {
	ID       int32
	Props    map[string]dbus.Variant
	Children []menuNode
}

func (n menuNode) label() string {
	s, _ := n.Props["label"].Value().(string)
	return s
}

func (n menuNode) enabled() bool {
	b, ok := n.Props["enabled"].Value().(bool)
	return !ok || b
}

// parseLayout reads a layout (ia{sv}av) as godbus decodes it into a variant.
func parseLayout(v any) (menuNode, error) {
	fields, ok := v.([]any)
	if !ok || len(fields) != 3 {
		return menuNode{}, fmt.Errorf("layout is %T, not (ia{sv}av)", v)
	}
	var n menuNode
	var kids []dbus.Variant
	if err := dbus.Store(fields, &n.ID, &n.Props, &kids); err != nil {
		return menuNode{}, fmt.Errorf("layout: %w", err)
	}
	for _, k := range kids {
		c, err := parseLayout(k.Value())
		if err != nil {
			return menuNode{}, err
		}
		n.Children = append(n.Children, c)
	}
	return n, nil
}

// tray is the agent's tray item as the panel sees it.
type tray struct {
	conn *dbus.Conn
	name string
	path dbus.ObjectPath
}

func (t tray) item() dbus.BusObject { return t.conn.Object(t.name, t.path) }

func (t tray) menuObject(ctx context.Context) (dbus.BusObject, error) {
	v, err := t.item().GetProperty(itemIface + ".Menu")
	if err != nil {
		return nil, fmt.Errorf("read the item's Menu: %w", err)
	}
	p, ok := v.Value().(dbus.ObjectPath)
	if !ok {
		return nil, fmt.Errorf("Menu is %T", v.Value())
	}
	return t.conn.Object(t.name, p), nil
}

// menu reads the whole menu, top-level items in order.
func (t tray) menu(ctx context.Context) ([]menuNode, error) {
	obj, err := t.menuObject(ctx)
	if err != nil {
		return nil, err
	}
	var rev uint32
	var layout []any
	// The first reply after a change may be cut to one level; the top level is all there is.
	call := obj.CallWithContext(ctx, menuIface+".GetLayout", 0, int32(0), int32(-1), []string{})
	if call.Err != nil {
		return nil, fmt.Errorf("GetLayout: %w", call.Err)
	}
	if err := call.Store(&rev, &layout); err != nil {
		return nil, fmt.Errorf("GetLayout reply: %w", err)
	}
	root, err := parseLayout(layout)
	if err != nil {
		return nil, err
	}
	return root.Children, nil
}

// find returns the menu item with this label.
func find(items []menuNode, label string) (menuNode, bool) {
	for _, it := range items {
		if it.label() == label {
			return it, true
		}
	}
	return menuNode{}, false
}

func labels(items []menuNode) []string {
	var out []string
	for _, it := range items {
		if l := it.label(); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// click sends the "clicked" event to a menu item, as a panel does.
func (t tray) click(ctx context.Context, id int32) error {
	obj, err := t.menuObject(ctx)
	if err != nil {
		return err
	}
	return obj.CallWithContext(ctx, menuIface+".Event", 0, id, "clicked", dbus.MakeVariant(""), uint32(0)).Err
}

// pixmap is one icon of an IconPixmap property: width, height, ARGB32 bytes.
type pixmap struct {
	W, H int32
	Pix  []byte
}

// icon reads the item's current IconPixmap.
func (t tray) icon() (pixmap, error) {
	v, err := t.item().GetProperty(itemIface + ".IconPixmap")
	if err != nil {
		return pixmap{}, err
	}
	return parsePixmaps(v)
}

func parsePixmaps(v dbus.Variant) (pixmap, error) {
	var pms []pixmap
	if err := dbus.Store([]any{v.Value()}, &pms); err != nil || len(pms) == 0 {
		return pixmap{}, fmt.Errorf("IconPixmap %v: %v", v, err)
	}
	return pms[0], nil
}

// iconState names the tray icon a pixmap shows, "state/panel", by comparing it with every
// icon Apuri ships; "" when it is none of them.
func iconState(pm pixmap) string {
	for _, state := range []string{"unknown", "checking", "healthy", "warning", "problem"} {
		for _, dark := range []bool{false, true} {
			want, err := argb(assets.TrayIcon(state, dark))
			if err == nil && want.W == pm.W && want.H == pm.H && bytes.Equal(want.Pix, pm.Pix) {
				panel := "light"
				if dark {
					panel = "dark"
				}
				return state + "/" + panel
			}
		}
	}
	return ""
}

// argb converts a PNG to the pixmap the tray item sends: ARGB32 in network byte order, each
// byte the low byte of image.Image's 16-bit RGBA, as fyne.io/systray converts it.
func argb(png []byte) (pixmap, error) {
	img, _, err := image.Decode(bytes.NewReader(png))
	if err != nil {
		return pixmap{}, err
	}
	b := img.Bounds()
	pm := pixmap{W: int32(b.Dx()), H: int32(b.Dy())}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			pm.Pix = append(pm.Pix, byte(a), byte(r), byte(g), byte(bl))
		}
	}
	return pm, nil
}

// recorder keeps, in order, what the tray item announces: its status line's texts and its icons.
type recorder struct {
	mu     sync.Mutex
	labels map[int32][]string // menu item ID -> every label it was given
	icons  []string           // iconState of every IconPixmap it was given
	moved  chan struct{}
}

// record listens to the item's signals on conn. Properties arrive in the signals themselves,
// so nothing is missed however fast they come.
func record(tb testing.TB, conn *dbus.Conn, sender string) *recorder {
	tb.Helper()
	r := &recorder{labels: map[int32][]string{}, moved: make(chan struct{})}
	if err := conn.AddMatchSignal(dbus.WithMatchSender(sender)); err != nil {
		tb.Fatal(err)
	}
	ch := make(chan *dbus.Signal, 256)
	conn.Signal(ch)
	go func() {
		for sig := range ch {
			r.take(sig)
		}
	}()
	return r
}

func (r *recorder) take(sig *dbus.Signal) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch sig.Name {
	case menuIface + ".ItemsPropertiesUpdated":
		var updated []struct {
			ID    int32
			Props map[string]dbus.Variant
		}
		var removed []struct {
			ID    int32
			Names []string
		}
		if dbus.Store(sig.Body, &updated, &removed) != nil {
			return
		}
		for _, u := range updated {
			if l, ok := u.Props["label"].Value().(string); ok {
				if ls := r.labels[u.ID]; len(ls) == 0 || ls[len(ls)-1] != l {
					r.labels[u.ID] = append(ls, l)
				}
			}
		}
	case "org.freedesktop.DBus.Properties.PropertiesChanged":
		var iface string
		var changed map[string]dbus.Variant
		var invalid []string
		if dbus.Store(sig.Body, &iface, &changed, &invalid) != nil || iface != itemIface {
			return
		}
		if v, ok := changed["IconPixmap"]; ok {
			if pm, err := parsePixmaps(v); err == nil {
				r.icons = append(r.icons, iconState(pm))
			}
		}
	default:
		return
	}
	close(r.moved)
	r.moved = make(chan struct{})
}

// wait waits until cond holds over what was recorded.
func (r *recorder) wait(ctx context.Context, what string, cond func(labels map[int32][]string, icons []string) bool) error {
	for {
		r.mu.Lock()
		ok := cond(r.labels, r.icons)
		moved := r.moved
		labels, icons := fmt.Sprint(r.labels), fmt.Sprint(r.icons)
		r.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-moved:
		case <-ctx.Done():
			return fmt.Errorf("%s: %w (labels %s, icons %s)", what, ctx.Err(), labels, icons)
		}
	}
}
