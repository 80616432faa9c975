"""Copies kernel modules and what they depend on into an initramfs, in load order.

usage: modules.py KERNEL_VERSION ROOT MODULE...   (writes ROOT/lib/modules/*.ko, ROOT/modules.order)
"""
import os
import subprocess
import sys


def name(path):
    return os.path.basename(path).split(".ko")[0].replace("-", "_")


def main():
    kver, root, wanted = sys.argv[1], sys.argv[2], sys.argv[3:]
    base = f"/lib/modules/{kver}"
    deps = {}
    with open(f"{base}/modules.dep") as f:
        for line in f:
            target, _, rest = line.partition(":")
            deps[name(target)] = (target, [name(d) for d in rest.split()])
    order = []

    def add(m):
        m = m.replace("-", "_")
        if m in order:
            return
        if m not in deps:
            sys.exit(f"module {m} is not in {base}/modules.dep (built into the kernel?)")
        for d in deps[m][1]:
            add(d)
        order.append(m)

    for m in wanted:
        add(m)
    os.makedirs(f"{root}/lib/modules", exist_ok=True)
    for m in order:
        src = f"{base}/{deps[m][0]}"
        dst = f"{root}/lib/modules/{m}.ko"
        if src.endswith(".xz"):
            with open(dst, "wb") as out:
                subprocess.run(["xz", "-dc", src], stdout=out, check=True)
        elif src.endswith(".zst"):
            with open(dst, "wb") as out:
                subprocess.run(["zstd", "-dc", src], stdout=out, check=True)
        else:
            with open(src, "rb") as i, open(dst, "wb") as out:
                out.write(i.read())
    with open(f"{root}/modules.order", "w") as f:
        f.write(" ".join(order) + "\n")


main()
