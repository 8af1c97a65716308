/*
 * ProcessPrng for Wine releases that lack it (Debian 12 ships Wine 8.0). The Go runtime of
 * Go 1.24 and later takes its random numbers from bcryptprimitives.dll's ProcessPrng, which
 * Windows 10 and Wine 9 have; this stand-in asks bcrypt.dll instead. Tests only: it lets Wine
 * run apuri.exe, and is never part of a package.
 */
#include <windows.h>
#include <bcrypt.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
		if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, n, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
