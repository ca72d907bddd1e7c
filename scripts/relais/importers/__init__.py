"""`relais import`: turn existing mappings (HSDS 3.0, IASC MHPSS 4Ws, mapped tables) into reviewed directory entries.

One module per job: reading each kind of source, turning records into our entries, planning against the files on
disk, writing YAML. Readers never write; only `writer` touches `directory/`, and only when the whole plan is valid.
"""
