#!/usr/bin/env python3
"""Adapt the StarPU 1.3.10 sources to CUDA 13.

CUDA 13 removed cudaDeviceProp::computeMode and the legacy cuBLAS API
(cublas.h). StarPU reads the compute mode through cudaDeviceGetAttribute and
uses only the cuBLAS v2 handle API after this patch. Idempotent.
"""
import pathlib
import sys

root = pathlib.Path(sys.argv[1])


def edit(rel, pairs):
    path = root / rel
    text = path.read_text()
    for old, new in pairs:
        if new in text and old not in text:
            continue
        if old not in text:
            sys.exit(f"patch_starpu_cuda13: '{old[:40]}...' not found in {rel}")
        text = text.replace(old, new)
    path.write_text(text)


edit("src/drivers/cuda/driver_cuda.c", [(
    "if (props[devid].computeMode == cudaComputeModeExclusive)",
    "int starling_compute_mode = 0;\n"
    "\tcudaDeviceGetAttribute(&starling_compute_mode, cudaDevAttrComputeMode, devid);\n"
    "\tif (starling_compute_mode == cudaComputeModeExclusive)")])

edit("src/drivers/cuda/driver_cuda.h", [("#include <cublas.h>", "#include <cublas_v2.h>")])

edit("src/drivers/cuda/starpu_cublas.c", [
    ("#include <cublas.h>\n", "#include <cublas_v2.h>\n"),
    ("\tif (!(cublas_initialized[idx]++))\n\t{\n"
     "\t\tcublasStatus cublasst = cublasInit();\n"
     "\t\tif (STARPU_UNLIKELY(cublasst))\n"
     "\t\t\tSTARPU_CUBLAS_REPORT_ERROR(cublasst);\n\t}\n",
     "\tcublas_initialized[idx]++;\n"),
    ("static void set_cublas_stream_func(void *args STARPU_ATTRIBUTE_UNUSED)\n{\n"
     "\tcublasSetKernelStream(starpu_cuda_get_local_stream());\n}",
     "static void set_cublas_stream_func(void *args STARPU_ATTRIBUTE_UNUSED)\n{\n"
     "\tcublasSetStream(cublas_handles[starpu_worker_get_id_check()], starpu_cuda_get_local_stream());\n}"),
    ("\tif (!--cublas_initialized[idx])\n\t\tcublasShutdown();\n",
     "\tcublas_initialized[idx]--;\n"),
    ("\t\tcublasSetKernelStream(starpu_cuda_get_local_stream());\n#endif\n}",
     "\t\tcublasSetStream(starpu_cublas_get_local_handle(), starpu_cuda_get_local_stream());\n#endif\n}"),
])
print("patch_starpu_cuda13: StarPU sources adapted to CUDA 13")
