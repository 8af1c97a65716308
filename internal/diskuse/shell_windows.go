package diskuse

import (
	"errors"
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	shell32                = windows.NewLazySystemDLL("shell32.dll")
	procSHQueryRecycleBinW = shell32.NewProc("SHQueryRecycleBinW")
	procSHEmptyRecycleBinW = shell32.NewProc("SHEmptyRecycleBinW")
)

// shQueryRBInfo is SHQUERYRBINFO.
type shQueryRBInfo struct {
	size     uint32
	bytes    int64
	numItems int64
}

// The SHEmptyRecycleBin flags: no question (Apuri has asked), no progress window, no sound.
const (
	sherbNoConfirmation = 0x1
	sherbNoProgressUI   = 0x2
	sherbNoSound        = 0x4
)

// recycleBin is the size and item count of the Recycle Bin on every drive.
func recycleBin() (int64, int, error) {
	info := shQueryRBInfo{size: uint32(unsafe.Sizeof(shQueryRBInfo{}))}
	if hr, _, _ := procSHQueryRecycleBinW.Call(0, uintptr(unsafe.Pointer(&info))); hr != 0 {
		return 0, 0, fmt.Errorf("SHQueryRecycleBin: HRESULT %#x", uint32(hr))
	}
	return info.bytes, int(info.numItems), nil
}

// emptyRecycleBin empties the Recycle Bin on every drive and says how much it held.
func emptyRecycleBin() (Cleaned, error) {
	bytes, items, err := recycleBin()
	if err != nil {
		return Cleaned{}, err
	}
	if items == 0 {
		return Cleaned{}, nil
	}
	hr, _, _ := procSHEmptyRecycleBinW.Call(0, 0, sherbNoConfirmation|sherbNoProgressUI|sherbNoSound)
	if hr != 0 {
		return Cleaned{}, fmt.Errorf("SHEmptyRecycleBin: HRESULT %#x", uint32(hr))
	}
	left, leftItems, _ := recycleBin()
	if leftItems > items {
		return Cleaned{}, errors.New("the Recycle Bin grew while it was emptied")
	}
	return Cleaned{Bytes: bytes - left, Files: items - leftItems, Left: leftItems}, nil
}

// knownDownloads is the user's Downloads folder wherever it has been moved.
func knownDownloads() string {
	p, err := windows.KnownFolderPath(windows.FOLDERID_Downloads, 0)
	if err != nil {
		return ""
	}
	return p
}
