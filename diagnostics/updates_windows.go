package diagnostics

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/go-ole/go-ole"
	"github.com/go-ole/go-ole/oleutil"
)

func systemUpdates(ctx context.Context) (UpdatesState, error) {
	return searchWUA(ctx, wuaCOM{})
}

// wuaCOM asks the Windows Update Agent through its COM automation interface
// (Microsoft.Update.Session), which any user may read.
type wuaCOM struct{}

// search runs on a thread of its own, as COM wants; the agent's search cannot be cancelled, so
// a search that outlasts ctx is left to finish alone.
func (wuaCOM) search(ctx context.Context) ([]wuaUpdate, error) {
	type answer struct {
		list []wuaUpdate
		err  error
	}
	done := make(chan answer, 1)
	go func() {
		list, err := wuaSearch()
		done <- answer{list, err}
	}()
	select {
	case a := <-done:
		return a.list, a.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func wuaSearch() ([]wuaUpdate, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// S_FALSE (1): COM was already set up on this thread; it still wants the matching uninitialise.
	if err := ole.CoInitializeEx(0, ole.COINIT_APARTMENTTHREADED); err != nil {
		var oe *ole.OleError
		if !errors.As(err, &oe) || oe.Code() != 1 {
			return nil, fmt.Errorf("COM: %w", err)
		}
	}
	defer ole.CoUninitialize()

	unknown, err := oleutil.CreateObject("Microsoft.Update.Session")
	if err != nil {
		return nil, fmt.Errorf("Microsoft.Update.Session: %w", err)
	}
	defer unknown.Release()
	session, err := unknown.QueryInterface(ole.IID_IDispatch)
	if err != nil {
		return nil, fmt.Errorf("Microsoft.Update.Session: %w", err)
	}
	defer session.Release()
	oleutil.PutProperty(session, "ClientApplicationID", "Apuri")

	searcher, err := dispatchOf(oleutil.CallMethod(session, "CreateUpdateSearcher"))
	if err != nil {
		return nil, fmt.Errorf("CreateUpdateSearcher: %w", err)
	}
	defer searcher.Release()
	// What the agent last found, without going online.
	if _, err := oleutil.PutProperty(searcher, "Online", false); err != nil {
		return nil, fmt.Errorf("searcher offline: %w", err)
	}
	result, err := dispatchOf(oleutil.CallMethod(searcher, "Search", "IsInstalled=0 and IsHidden=0"))
	if err != nil {
		return nil, fmt.Errorf("update search: %w", err)
	}
	defer result.Release()
	updates, err := dispatchOf(oleutil.GetProperty(result, "Updates"))
	if err != nil {
		return nil, fmt.Errorf("update list: %w", err)
	}
	defer updates.Release()
	count, err := oleutil.GetProperty(updates, "Count")
	if err != nil {
		return nil, fmt.Errorf("update count: %w", err)
	}
	n := int(count.Val)
	var list []wuaUpdate
	for i := 0; i < n; i++ {
		item, err := dispatchOf(oleutil.GetProperty(updates, "Item", i))
		if err != nil {
			return nil, fmt.Errorf("update %d: %w", i, err)
		}
		u := wuaUpdate{Title: stringProperty(item, "Title"), Severity: stringProperty(item, "MsrcSeverity")}
		if v, err := oleutil.GetProperty(item, "LastDeploymentChangeTime"); err == nil {
			u.Published, _ = v.Value().(time.Time)
		}
		item.Release()
		list = append(list, u)
	}
	return list, nil
}

func dispatchOf(v *ole.VARIANT, err error) (*ole.IDispatch, error) {
	if err != nil {
		return nil, err
	}
	d := v.ToIDispatch()
	if d == nil {
		return nil, fmt.Errorf("not an object")
	}
	return d, nil
}

func stringProperty(d *ole.IDispatch, name string) string {
	v, err := oleutil.GetProperty(d, name)
	if err != nil {
		return ""
	}
	s, _ := v.Value().(string)
	return s
}
