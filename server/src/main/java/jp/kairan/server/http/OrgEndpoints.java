package jp.kairan.server.http;

import jp.kairan.protocol.api.CreateOrgRequest;
import jp.kairan.protocol.api.CreateUserRequest;
import jp.kairan.protocol.api.DepartmentRequest;
import jp.kairan.protocol.api.ResetPasswordRequest;
import jp.kairan.protocol.api.UpdateOrgRequest;
import jp.kairan.protocol.api.UpdateUserRequest;
import jp.kairan.server.auth.AccountService;
import jp.kairan.server.org.Departments;
import jp.kairan.server.org.Fields;
import jp.kairan.server.org.OrgService;

/** Organizations (operator), departments and users (owners and admins). Authorization lives in the services. */
final class OrgEndpoints {
    private final OrgService orgs;
    private final Departments departments;
    private final AccountService accounts;

    OrgEndpoints(OrgService orgs, Departments departments, AccountService accounts) {
        this.orgs = orgs;
        this.departments = departments;
        this.accounts = accounts;
    }

    void register(ApiRouter r) {
        r.get("/api/v1/orgs", req -> orgs.listOrgs(req.principal()));
        r.post("/api/v1/orgs", req -> {
            CreateOrgRequest body = req.body(CreateOrgRequest.class);
            return new ApiHandler.Created(accounts.createOrg(req.principal(), body, req.origin()));
        });
        r.get("/api/v1/orgs/{orgId}", req -> orgs.getOrg(req.principal(), req.pathId("orgId")));
        r.patch("/api/v1/orgs/{orgId}", req -> {
            UpdateOrgRequest body = req.body(UpdateOrgRequest.class);
            return orgs.updateOrg(req.principal(), req.pathId("orgId"), body, req.origin());
        });

        r.get("/api/v1/orgs/{orgId}/departments",
                req -> departments.list(req.principal(), req.pathId("orgId")));
        r.post("/api/v1/orgs/{orgId}/departments", req -> {
            DepartmentRequest body = req.body(DepartmentRequest.class);
            return new ApiHandler.Created(departments.create(req.principal(), req.pathId("orgId"), body, req.origin()));
        });
        r.patch("/api/v1/orgs/{orgId}/departments/{deptId}", req -> {
            DepartmentRequest body = req.body(DepartmentRequest.class);
            return departments.update(req.principal(), req.pathId("orgId"), req.pathId("deptId"), body, req.origin());
        });
        r.delete("/api/v1/orgs/{orgId}/departments/{deptId}", req -> {
            departments.delete(req.principal(), req.pathId("orgId"), req.pathId("deptId"), req.origin());
            return null;
        });

        r.get("/api/v1/orgs/{orgId}/users", req -> {
            String dept = req.query("departmentId");
            Long deptId = dept == null || dept.isEmpty() ? null : Fields.id(dept, "department");
            return accounts.listUsers(req.principal(), req.pathId("orgId"), req.query("q"), deptId);
        });
        r.post("/api/v1/orgs/{orgId}/users", req -> {
            CreateUserRequest body = req.body(CreateUserRequest.class);
            return new ApiHandler.Created(accounts.createUser(req.principal(), req.pathId("orgId"), body, req.origin()));
        });
        r.get("/api/v1/orgs/{orgId}/users/{userId}",
                req -> accounts.getUser(req.principal(), req.pathId("orgId"), req.pathId("userId")));
        r.patch("/api/v1/orgs/{orgId}/users/{userId}", req -> {
            UpdateUserRequest body = req.body(UpdateUserRequest.class);
            return accounts.updateUser(req.principal(), req.pathId("orgId"), req.pathId("userId"), body, req.origin());
        });
        r.post("/api/v1/orgs/{orgId}/users/{userId}/reset-password", req -> {
            byte[] raw = req.rawBody();
            boolean resetTotp = raw.length > 0 && Boolean.TRUE.equals(req.body(ResetPasswordRequest.class).resetTotp());
            return accounts.resetPassword(req.principal(), req.pathId("orgId"), req.pathId("userId"), resetTotp, req.origin());
        });
        r.post("/api/v1/orgs/{orgId}/users/{userId}/unlock", req -> {
            req.rawBody();
            accounts.unlock(req.principal(), req.pathId("orgId"), req.pathId("userId"), req.origin());
            return null;
        });
    }
}
