# Owned by the storage work: cplink_relay_storage (Storage.h interface, SQLite and PostgreSQL backends).
# The storage rules are written once against SqlSession (SqlOperations.h, StorageSql.h); each backend
# only supplies connections, transactions and its schema. Links no Qt, spec or net.
add_library(cplink_relay_storage STATIC
    ${CMAKE_CURRENT_LIST_DIR}/Storage.cpp
    ${CMAKE_CURRENT_LIST_DIR}/SqlSession.cpp
    ${CMAKE_CURRENT_LIST_DIR}/SqlStorage.cpp
    ${CMAKE_CURRENT_LIST_DIR}/MessageOperations.cpp
    ${CMAKE_CURRENT_LIST_DIR}/OfficeOperations.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ExpiryOperations.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ExpiryNotice.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Migrations.cpp
    # SQLite: one file for the rows, a body log beside it, a group-committing writer thread and readers.
    ${CMAKE_CURRENT_LIST_DIR}/SqliteSchema.cpp
    ${CMAKE_CURRENT_LIST_DIR}/BodyLog.cpp
    ${CMAKE_CURRENT_LIST_DIR}/SqliteConnection.cpp
    ${CMAKE_CURRENT_LIST_DIR}/WalGatherVfs.cpp
    ${CMAKE_CURRENT_LIST_DIR}/SqliteCheckpointer.cpp
    ${CMAKE_CURRENT_LIST_DIR}/SqliteGroupCommit.cpp
    ${CMAKE_CURRENT_LIST_DIR}/WalSync.cpp
    ${CMAKE_CURRENT_LIST_DIR}/SqliteStorage.cpp
    # PostgreSQL: a pool of libpq connections shared by several relay processes.
    ${CMAKE_CURRENT_LIST_DIR}/PostgresSchema.cpp
    ${CMAKE_CURRENT_LIST_DIR}/PgConnection.cpp
    ${CMAKE_CURRENT_LIST_DIR}/PostgresStorage.cpp)
add_library(cplink::relay_storage ALIAS cplink_relay_storage)
target_include_directories(cplink_relay_storage PUBLIC ${PROJECT_SOURCE_DIR}/src)
# SQLite and libpq are public: the backend headers (SqliteStorage.h, PostgresStorage.h) name their types.
target_link_libraries(cplink_relay_storage
    PUBLIC PkgConfig::SQLITE3 PkgConfig::LIBPQ Threads::Threads
    PRIVATE cplink::crypto nlohmann_json::nlohmann_json)
cplink_set_warnings(cplink_relay_storage)
