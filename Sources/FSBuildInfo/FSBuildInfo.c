#include "FSBuildInfo.h"

#ifndef FUNDSYNC_GIT_COMMIT
#define FUNDSYNC_GIT_COMMIT "unknown"
#endif

const char *fundsync_git_commit(void) { return FUNDSYNC_GIT_COMMIT; }
