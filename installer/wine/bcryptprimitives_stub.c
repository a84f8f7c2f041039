/* Stand-in for Windows' bcryptprimitives.dll, which Wine 8 lacks and Rust's standard library
   (rpds-py, used by jsonschema) imports for ProcessPrng. Used only inside the Wine prefix that builds
   and smoke-tests KHBC, never shipped. Real randomness comes from advapi32's RtlGenRandom. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
