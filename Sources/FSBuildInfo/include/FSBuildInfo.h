// What the build was made from, for `fundsync --version`. The value is set by Package.swift from git when the
// manifest is evaluated (Context.gitInformation); a build outside a git checkout says "unknown".
#ifndef FSBUILDINFO_H
#define FSBUILDINFO_H

/// The git commit this binary was built from ("unknown" outside a checkout; "-modified" when the tree had changes).
const char *fundsync_git_commit(void);

#endif
