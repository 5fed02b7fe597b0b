# Cross-building for arm64 boards (Raspberry Pi 3/4/5, CM4, i.MX8, RK3568 running Debian arm64) with
# Debian's multiarch: the cross compilers of crossbuild-essential-arm64 and the :arm64 -dev packages
# under /usr/lib/aarch64-linux-gnu (scripts/setup.sh installs them). scripts/build-arm64.sh uses it.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
# Libraries and CMake packages of the target are in the multiarch folders of this machine's /usr.
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
# pkg-config reads only the target's .pc files (and the architecture-independent ones).
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
# The target's programs run on this machine under QEMU's user-mode emulation (the unit tests, their
# discovery by ctest); the arm64 loader and libraries are where multiarch put them.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /)
# The package is for arm64, whatever this machine is.
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)
