#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# mkimage.py: write a small multi-layer container image from a JSON spec, as
# `docker save` writes it (the Docker 25+ form with blobs/sha256/, or the
# old form with <id>/layer.tar), or as an OCI image layout (a directory or a
# tar), or as skopeo's dir: layout (--format dir: manifest.json is the image
# manifest, blobs named by their hex digest).  Python standard library only; deterministic (the same spec gives
# the same digests).
#
#   python3 tests/images/mkimage.py [--format docker|docker-old|oci|oci-tar|dir]
#       [--tag NAME:TAG] [--platforms OS/ARCH,...] SPEC.json OUT
#
# SPEC (every key optional):
# {
#   "config": { "Entrypoint": [...], "Cmd": [...], "Env": ["K=V"],
#               "WorkingDir": "/w", "User": "1000" },
#   "history": [ { "created_by": "...", "empty_layer": true }, ... ],
#   "layers": [
#     { "created_by": "ADD rootfs.tar /", "tar": "rootfs.tar" },  (relative to SPEC)
#     { "created_by": "RUN chown agent /shared-storage",
#       "compress": "none" | "gzip" | "zstd",
#       "entries": [
#         { "type": "dir", "path": "shared-storage", "uid": 1000, "gid": 1000, "mode": "0755" },
#         { "type": "file", "path": "etc/passwd", "content": "root:x:0:0::/root:/bin/sh\n" },
#         { "type": "symlink", "path": "bin", "target": "usr/bin" },
#         { "type": "hardlink", "path": "usr/bin/b", "target": "usr/bin/a" },
#         { "type": "whiteout", "path": "etc/old" },          -> etc/.wh.old
#         { "type": "opaque", "path": "var/cache" },          -> var/cache/.wh..wh..opq
#         { "type": "fifo", "path": "run/p" },
#         { "type": "chardev", "path": "dev/null", "major": 1, "minor": 3 }
#       ] } ] }
# Paths are written as given (a test may write "../x").  Without "history",
# each layer gets one entry with its created_by.  --platforms adds index
# entries for other platforms (pointing at the same manifest) to test the
# platform choice; the first listed is this image's own.
import argparse
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile

MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_LAYER = "application/vnd.oci.image.layer.v1.tar"
MT_INDEX = "application/vnd.oci.image.index.v1+json"
MTIME = 1700000000


def sha(b):
    return hashlib.sha256(b).hexdigest()


def mode_of(e, default):
    m = e.get("mode", default)
    return int(m, 8) if isinstance(m, str) else int(m)


def add(tf, ti, data=None):
    ti.mtime = MTIME
    ti.uname = ti.gname = ""
    tf.addfile(ti, io.BytesIO(data) if data is not None else None)


def layer_tar(layer, specdir):
    if "tar" in layer:
        # an existing tar (e.g. mmdebstrap's output) as the layer, as is
        with open(os.path.join(specdir, layer["tar"]), "rb") as f:
            raw = f.read()
        return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for e in layer.get("entries", []):
            t = e.get("type", "file")
            path = e["path"]
            ti = tarfile.TarInfo(path)
            ti.uid = int(e.get("uid", 0))
            ti.gid = int(e.get("gid", 0))
            if t == "dir":
                ti.type = tarfile.DIRTYPE
                ti.mode = mode_of(e, 0o755)
                add(tf, ti)
            elif t == "file":
                data = e.get("content", "").encode()
                ti.size = len(data)
                ti.mode = mode_of(e, 0o644)
                add(tf, ti, data)
            elif t == "symlink":
                ti.type = tarfile.SYMTYPE
                ti.linkname = e["target"]
                ti.mode = 0o777
                add(tf, ti)
            elif t == "hardlink":
                ti.type = tarfile.LNKTYPE
                ti.linkname = e["target"]
                ti.mode = mode_of(e, 0o644)
                add(tf, ti)
            elif t in ("whiteout", "opaque"):
                d, _, base = path.rstrip("/").rpartition("/")
                name = ".wh..wh..opq" if t == "opaque" else ".wh." + base
                if t == "opaque":
                    d = path.rstrip("/")
                ti = tarfile.TarInfo((d + "/" if d else "") + name)
                ti.mode = 0o644
                add(tf, ti, b"")
            elif t == "fifo":
                ti.type = tarfile.FIFOTYPE
                ti.mode = mode_of(e, 0o644)
                add(tf, ti)
            elif t in ("chardev", "blockdev"):
                ti.type = tarfile.CHRTYPE if t == "chardev" else tarfile.BLKTYPE
                ti.devmajor = int(e.get("major", 1))
                ti.devminor = int(e.get("minor", 3))
                ti.mode = mode_of(e, 0o666)
                add(tf, ti)
            else:
                sys.exit("mkimage: unknown entry type %r" % t)
    return buf.getvalue()


def compress(raw, how):
    if how in (None, "none"):
        return raw, MT_LAYER
    if how == "gzip":
        return gzip.compress(raw, mtime=0), MT_LAYER + "+gzip"
    if how == "zstd":
        z = shutil.which("zstd")
        if z is None:
            sys.exit("mkimage: zstd compression needs the zstd program")
        out = subprocess.run([z, "-q", "-c"], input=raw, stdout=subprocess.PIPE,
                             check=True).stdout
        return out, MT_LAYER + "+zstd"
    sys.exit("mkimage: unknown compression %r" % how)


def build(spec, platforms):
    layers = spec.get("layers", [])
    raws = [layer_tar(l, spec.get("_dir", ".")) for l in layers]
    diff_ids = ["sha256:" + sha(r) for r in raws]
    history = spec.get("history")
    if history is None:
        history = [{"created": "2024-01-01T00:00:00Z",
                    "created_by": l.get("created_by", "")} for l in layers]
    os_, arch = platforms[0].split("/")[:2]
    config = {
        "architecture": arch, "os": os_,
        "created": "2024-01-01T00:00:00Z",
        "config": spec.get("config", {}),
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    }
    config_bytes = json.dumps(config, indent=1).encode()
    return layers, raws, diff_ids, config_bytes


class Out:
    """A directory or a tar being written, with the same calls."""

    def __init__(self, path, as_tar):
        self.tf = None
        self.dir = None
        if as_tar:
            self.tf = tarfile.open(path, "w", format=tarfile.PAX_FORMAT)
        else:
            os.makedirs(path, exist_ok=True)
            self.dir = path
        self.made = set()

    def file(self, name, data):
        if self.tf is not None:
            self.dirs(name)
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            ti.mode = 0o644
            add(self.tf, ti, data)
        else:
            p = os.path.join(self.dir, name)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(data)

    def symlink(self, name, target):
        if self.tf is not None:
            self.dirs(name)
            ti = tarfile.TarInfo(name)
            ti.type = tarfile.SYMTYPE
            ti.linkname = target
            add(self.tf, ti)
        else:
            p = os.path.join(self.dir, name)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            os.symlink(target, p)

    def dirs(self, name):
        parts = name.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            if d in self.made:
                continue
            self.made.add(d)
            ti = tarfile.TarInfo(d)
            ti.type = tarfile.DIRTYPE
            ti.mode = 0o755
            add(self.tf, ti)

    def close(self):
        if self.tf is not None:
            self.tf.close()


def write_oci(out, spec, platforms, tag, docker_manifest):
    layers, raws, diff_ids, config_bytes = build(spec, platforms)
    descs = []
    blobs = []
    for l, raw in zip(layers, raws):
        blob, mt = compress(raw, l.get("compress", "none" if docker_manifest is True else "gzip"))
        descs.append({"mediaType": mt, "digest": "sha256:" + sha(blob), "size": len(blob)})
        blobs.append(blob)
    manifest = {
        "schemaVersion": 2, "mediaType": MT_MANIFEST,
        "config": {"mediaType": MT_CONFIG, "digest": "sha256:" + sha(config_bytes),
                   "size": len(config_bytes)},
        "layers": descs,
    }
    mbytes = json.dumps(manifest, indent=1).encode()
    mdesc = {"mediaType": MT_MANIFEST, "digest": "sha256:" + sha(mbytes), "size": len(mbytes)}
    entries = []
    for p in platforms:
        os_, arch = p.split("/")[:2]
        d = dict(mdesc)
        d["platform"] = {"architecture": arch, "os": os_}
        if len(p.split("/")) > 2:
            d["platform"]["variant"] = p.split("/")[2]
        if p == platforms[0]:
            d["annotations"] = {"io.containerd.image.name": tag,
                                "org.opencontainers.image.ref.name": tag.split(":")[-1]}
        entries.append(d)
    index = {"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": entries}
    if docker_manifest == "dir":
        # skopeo's dir: layout: the manifest itself, blobs named by hex
        for blob in blobs + [config_bytes]:
            out.file(sha(blob), blob)
        out.file("manifest.json", mbytes)
        out.file("version", b"Directory Transport Version: 1.1\n")
        return
    out.file("oci-layout", json.dumps({"imageLayoutVersion": "1.0.0"}).encode())
    for blob in blobs:
        out.file("blobs/sha256/" + sha(blob), blob)
    out.file("blobs/sha256/" + sha(config_bytes), config_bytes)
    out.file("blobs/sha256/" + sha(mbytes), mbytes)
    out.file("index.json", json.dumps(index, indent=1).encode())
    if docker_manifest:
        dm = [{"Config": "blobs/sha256/" + sha(config_bytes), "RepoTags": [tag],
               "Layers": ["blobs/sha256/" + d["digest"][7:] for d in descs]}]
        out.file("manifest.json", json.dumps(dm).encode())


def write_docker_old(out, spec, platforms, tag):
    layers, raws, diff_ids, config_bytes = build(spec, platforms)
    parent = ""
    paths = []
    first = {}
    for raw, did in zip(raws, diff_ids):
        lid = sha((parent + did).encode())
        if did in first:
            # docker save links a repeated layer to its first copy
            out.symlink(lid + "/layer.tar", "../" + first[did] + "/layer.tar")
        else:
            out.file(lid + "/layer.tar", raw)
            first[did] = lid
        out.file(lid + "/VERSION", b"1.0")
        out.file(lid + "/json", json.dumps({"id": lid, "parent": parent}).encode())
        paths.append(lid + "/layer.tar")
        parent = lid
    chex = sha(config_bytes)
    out.file(chex + ".json", config_bytes)
    out.file("manifest.json", json.dumps(
        [{"Config": chex + ".json", "RepoTags": [tag], "Layers": paths}]).encode())
    name, _, t = tag.rpartition(":")
    out.file("repositories", json.dumps({name: {t: parent}}).encode())


def main():
    ap = argparse.ArgumentParser(description="write a test container image")
    ap.add_argument("--format", default="oci",
                    choices=["docker", "docker-old", "oci", "oci-tar", "dir"])
    ap.add_argument("--tag", default="efsap-test:latest")
    ap.add_argument("--platforms", default="linux/amd64",
                    help="comma-separated OS/ARCH[/VARIANT]; the first is the image's")
    ap.add_argument("spec")
    ap.add_argument("out")
    a = ap.parse_args()
    try:
        with open(a.spec) as f:
            spec = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit("mkimage: %s: %s" % (a.spec, e))
    spec["_dir"] = os.path.dirname(os.path.abspath(a.spec))
    platforms = a.platforms.split(",")
    out = Out(a.out, a.format not in ("oci", "dir"))
    if a.format == "docker":
        write_oci(out, spec, platforms, a.tag, True)
    elif a.format == "docker-old":
        write_docker_old(out, spec, platforms, a.tag)
    elif a.format == "dir":
        write_oci(out, spec, platforms, a.tag, "dir")
    else:
        write_oci(out, spec, platforms, a.tag, False)
    out.close()


if __name__ == "__main__":
    main()
