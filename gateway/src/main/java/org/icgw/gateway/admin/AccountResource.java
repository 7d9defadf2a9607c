package org.icgw.gateway.admin;

import static org.icgw.gateway.admin.AdminApi.V1;

import java.util.Optional;
import java.util.Set;
import org.icgw.policy.ValidationException;
import org.icgw.policy.model.Account;
import org.icgw.policy.model.AccountType;
import org.icgw.policy.model.Deposit;
import org.icgw.policy.store.PolicyStore;

/**
 * Accounts and deposits. A balance changes only through deposits and calls: an account's
 * {@code opening_balance_cents} is taken when it is created and refused afterwards. A deposit is
 * at most $50.00 on a prepaid or debit account (contract, "What is provisioned").
 */
final class AccountResource {
    static final Set<String> KEYS = Set.of("id", "type", "owner_name", "inmate_id", "billing_numbers",
            "credit_limit_cents", "opening_balance_cents");
    static final Set<String> DEPOSIT_KEYS = Set.of("amount_cents", "reference");

    private AccountResource() {
    }

    static void routes(Router r, AdminContext ctx) {
        PolicyStore store = ctx.store();
        r.add("GET", V1 + "/accounts", AdminScope.STAFF, req -> AdminApi.items(store.accounts(), Json::account));
        r.add("GET", V1 + "/accounts/{id}", AdminScope.STAFF, req -> AdminResponse.ok(Json.account(find(store, req))));
        r.add("PUT", V1 + "/accounts/{id}", AdminScope.STAFF, req -> {
            String id = req.param("id");
            JsonBody b = JsonBody.parse(req.body(), KEYS);
            b.sameId("id", id);
            Optional<Account> existing = store.account(id);
            if (existing.isPresent() && b.has("opening_balance_cents")) {
                throw new ValidationException("opening_balance_cents",
                        "only when the account is created; pay money in with a deposit");
            }
            store.saveAccount(new Account(id, b.wire("type", AccountType.class, null), b.text("owner_name"),
                    b.optText("inmate_id"), b.texts("billing_numbers"), b.longValue("opening_balance_cents", 0L),
                    b.longValue("credit_limit_cents", 0L), 0L));
            Account saved = store.account(id).orElseThrow();
            return AdminResponse.json(existing.isPresent() ? 200 : 201, Json.account(saved)).changed(id);
        });
        r.add("GET", V1 + "/accounts/{id}/deposits", AdminScope.STAFF, req -> AdminApi.items(
                store.deposits(find(store, req).id()), Json::deposit));
        r.add("POST", V1 + "/accounts/{id}/deposits", AdminScope.STAFF, req -> {
            Account a = find(store, req);
            JsonBody b = JsonBody.parse(req.body(), DEPOSIT_KEYS);
            long amount = b.longValue("amount_cents", null);
            Deposit d = store.deposit(a.id(), amount, b.text("reference", ""), ctx.clock().instant());
            return AdminResponse.json(201, Json.deposit(d)).changed(a.id());
        });
    }

    private static Account find(PolicyStore store, AdminRequest req) {
        return store.account(req.param("id")).orElseThrow(() -> AdminApi.notFound("account", req.param("id")));
    }
}
