"""Team warm paths over git: who on the team can open a door, without sharing anyone's notes.

Each member publishes a digest (`digest`) of the people they could introduce a teammate to,
into a shared git repository (`repo`), under their own ref; a pull reads every member's digest
as untrusted input into a SQLite file of the user's cache (`store`); `doors` ranks who to ask
by the vouching rules of `netvault.paths`. Where the shared repository is, and which member you
are in it, is the user's own setting (`settings`), never the vault's. docs/team.md has the
design: what leaves your machine, what a teammate can learn, how to leave a team.
"""
