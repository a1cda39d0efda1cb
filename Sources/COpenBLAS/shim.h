#ifndef FMN_COPENBLAS_SHIM_H
#define FMN_COPENBLAS_SHIM_H
// Debian's libopenblas-dev puts cblas.h in the openblas-pthread include folder named by
// openblas.pc; it also declares openblas_get_corename, openblas_get_config and the thread calls.
#include <cblas.h>
#endif
