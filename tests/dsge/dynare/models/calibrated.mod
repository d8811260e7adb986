// Hours calibrated to 1/3 in steady_state_model (chi is computed there), an undeclared MATLAB constant
// used in the shocks block, an initval of a shock at 0, and no 'steady;' statement.
var c k n z;
varexo e;
parameters alpha beta delta chi rho;
alpha = 0.33; beta = 0.99; delta = 0.025; rho = 0.9;
scale = 0.01;                 // not declared: a MATLAB variable, used as a parameter
model;
  1/c = beta/c(+1)*(alpha*exp(z(+1))*k^(alpha - 1)*n(+1)^(1 - alpha) + 1 - delta);
  chi*c = (1 - alpha)*exp(z)*k(-1)^alpha*n^(-alpha);
  c + k = exp(z)*k(-1)^alpha*n^(1 - alpha) + (1 - delta)*k(-1);
  z = rho*z(-1) + e;
end;
steady_state_model;
  n = 1/3;
  kn = (alpha/(1/beta - 1 + delta))^(1/(1 - alpha));
  k = kn*n;
  c = kn^alpha*n - delta*k;
  chi = (1 - alpha)*kn^alpha/c;     // calibrated so that hours are 1/3
  z = 0;
end;
initval;
  e = 0;
end;
shocks;
  var e; stderr scale;
end;
stoch_simul(order=1, irf=5, nograph);
