// Tests commit in temporary repositories; they must not depend on the machine having a global
// git identity (CI machines start with none). Child processes inherit these variables.
process.env.GIT_AUTHOR_NAME ??= 'orchestrate tests';
process.env.GIT_AUTHOR_EMAIL ??= 'tests@orchestrate.invalid';
process.env.GIT_COMMITTER_NAME ??= 'orchestrate tests';
process.env.GIT_COMMITTER_EMAIL ??= 'tests@orchestrate.invalid';
