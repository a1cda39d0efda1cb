#ifndef FMN_CLIBGIT2_SHIM_H
#define FMN_CLIBGIT2_SHIM_H
#include <git2.h>
#endif
